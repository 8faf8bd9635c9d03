"""The app object for ``python run.py`` and for WSGI servers (``gunicorn run:app``)."""

from app import create_app

app = create_app()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(app.config.get("PORT", 5000)))
