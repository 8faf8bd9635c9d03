"""Business logic: the queries and changes the routes and tasks need.

Services reach configuration only through ``flask.current_app`` and never import routes or the app.
"""
