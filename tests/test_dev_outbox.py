"""The development outbox: mails as files in the instance folder, listed by a page that exists
only when the development config turns it on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask

import config
from app import create_app
from tests.architecture.test_config import SHARED_LIMITS
from tests.auth_support import register
from tests.conftest import dispose

GOOD_KEY = "k" * 48


def development_app(sqlite_template: Path, tmp_path: Path, **overrides) -> Flask:
    """The development config as a developer runs it, on a migrated SQLite copy. Inline mail
    (no worker in this test) and no CSRF (the test client posts plain forms)."""
    shutil.copyfile(sqlite_template, tmp_path / "dev.sqlite3")
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "MAIL_DELIVERY": "inline",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **overrides,
    }
    return create_app("development", instance_path=str(tmp_path / "instance"), **settings)


def test_outbox_lists_the_confirmation_mail_in_development(sqlite_template, tmp_path) -> None:
    app = development_app(sqlite_template, tmp_path)
    client = app.test_client()
    assert "No mail sent yet" in client.get("/dev/outbox").get_data(as_text=True)
    register(client, email="first@example.com", name="First")
    register(client, email="second@example.com", name="Second <b>")

    page = client.get("/dev/outbox").get_data(as_text=True)
    # Newest first, the link clickable, the mail's text escaped (never trusted as HTML).
    assert page.index("To second@example.com") < page.index("To first@example.com")
    links = re.findall(r'<a href="(http://localhost/auth/confirm/[^"]+)">\1</a>', page)
    assert len(links) == 2
    assert "Hello Second &lt;b&gt;," in page
    # The newest link is the second sign-up's, and it works.
    confirm = client.get(links[0].removeprefix("http://localhost"))
    assert confirm.status_code == 200 and b"Confirm my address" in confirm.data
    assert len(list((tmp_path / "instance" / "outbox").glob("*.eml"))) == 2
    dispose(app)


def test_outbox_page_does_not_exist_in_testing_or_production(app: Flask, tmp_path) -> None:
    production = create_app(
        "production",
        instance_path=str(tmp_path / "prod"),
        SECRET_KEY=GOOD_KEY,
        SQLALCHEMY_DATABASE_URI="postgresql://timesheet@127.0.0.1/timesheet",
        TRUSTED_HOSTS=["localhost"],
        MAIL_SERVER="smtp.example.com",
        RATELIMIT_STORAGE_URI=SHARED_LIMITS,
    )
    for built in (production, app):
        assert "dev" not in built.blueprints
        assert not [rule for rule in built.url_map.iter_rules() if rule.rule.startswith("/dev")]
        assert built.test_client().get("/dev/outbox").status_code == 404


def test_production_refuses_to_start_with_the_outbox_on(tmp_path) -> None:
    with pytest.raises(config.ConfigError, match="FLASK_MAIL_OUTBOX"):
        create_app(
            "production",
            instance_path=str(tmp_path),
            SECRET_KEY=GOOD_KEY,
            SQLALCHEMY_DATABASE_URI="postgresql://timesheet@127.0.0.1/timesheet",
            TRUSTED_HOSTS=["localhost"],
            MAIL_SERVER="smtp.example.com",
            MAIL_OUTBOX=True,
        )


def test_a_failing_outbox_never_fails_the_mail(sqlite_template, tmp_path, caplog) -> None:
    """The outbox is written after the hand-over and never raises: a worker would otherwise
    retry, and send again, a mail that already went out."""
    app = development_app(sqlite_template, tmp_path)
    (tmp_path / "instance" / "outbox").write_text("a file where the folder should be")
    from services.platform import mail

    with app.app_context():
        assert mail.send_email("ada@example.com", "Hi", "Hello") is True
    assert "Could not write mail to ada@example.com to the outbox" in caplog.text
    dispose(app)
