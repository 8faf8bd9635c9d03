"""The floor with one query: the smallest Flask app that reads the database once per request.

Flask, Flask-SQLAlchemy (the app's engine options: ``pool_pre_ping``) and one ``SELECT 1`` on
PostgreSQL, under the same gunicorn settings; no session, no login, no template. A signed-in page
checks its session in the database on every request (so that logging out elsewhere ends it at
once), so no such page can be faster than this: its ratio is the ceiling for the week, the team
week and the API list in the same run.
"""

import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

from config import BaseConfig

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["FLASK_SQLALCHEMY_DATABASE_URI"]
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = BaseConfig.SQLALCHEMY_ENGINE_OPTIONS
db = SQLAlchemy(app)


@app.get("/")
def one_query() -> str:
    return str(db.session.execute(text("SELECT 1")).scalar_one())
