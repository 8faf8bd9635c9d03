"""Guard: ``routes/form_html.py`` writes the same HTML as WTForms' widgets, for every field of every
form of the app, and escapes what a person typed (issue 12 replaced the widgets on the form pages).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from markupsafe import Markup

import routes
from routes import form_html

TYPED = "a\"b<c>d&e'f"  # every character that must not reach the HTML as itself


def app_forms() -> list[type[FlaskForm]]:
    """Every form class defined under ``routes/``."""
    for module in pkgutil.walk_packages(routes.__path__, "routes."):
        importlib.import_module(module.name)
    found: dict[str, type[FlaskForm]] = {}
    pending = [FlaskForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("routes."):
                found[f"{subclass.__module__}.{subclass.__qualname__}"] = subclass
    return [found[name] for name in sorted(found)]


FORMS = app_forms()


def test_every_form_is_found() -> None:
    names = {form.__name__ for form in FORMS}
    assert {"LoginForm", "RegisterForm"} <= names
    assert len(FORMS) > 10


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
@pytest.mark.parametrize("posted", [False, True], ids=["empty", "typed"])
def test_the_same_html_as_wtforms(
    csrf_app: Flask, form_class: type[FlaskForm], posted: bool
) -> None:
    with csrf_app.test_request_context(method="POST" if posted else "GET"):
        probe = form_class(formdata=None)
        data = {field.name: TYPED for field in probe if field.type != "CSRFTokenField"}
    with csrf_app.test_request_context(
        method="POST" if posted else "GET", data=data if posted else None
    ):
        form = form_class()
        if posted:
            form.validate()  # errors too, as a page with errors shows them
        for field in form:
            if type(field.widget) not in form_html._INPUT_TYPES:
                continue
            for extra in (
                {},
                {
                    "aria-invalid": "true",
                    "aria-describedby": f"{field.id}-errors",
                    "autofocus": True,
                },
                {
                    "autocomplete": "off",
                    "aria-invalid": False,
                    "class_": "x",
                    "data_y": TYPED,
                    "title": Markup('a "b"'),
                },
            ):
                assert form_html.render_input(field, **extra) == field(**extra)
            assert form_html.render_label(field) == field.label()
        assert form_html.render_hidden_fields(form) == form.hidden_tag()


def test_a_typed_value_is_escaped_in_the_page(client) -> None:
    page = client.post("/auth/login", data={"email": TYPED, "password": "x"}).get_data(as_text=True)
    field = (
        page.split('id="email"')[0].rsplit("<input", 1)[1]
        + page.split('id="email"')[1].split(">")[0]
    )
    assert 'value="a&#34;b&lt;c&gt;d&amp;e&#39;f"' in field
    assert TYPED not in page


def test_a_typed_value_is_escaped_in_the_input(csrf_app: Flask) -> None:
    from routes.auth.forms import LoginForm

    with csrf_app.test_request_context(method="POST", data={"email": TYPED}):
        html = form_html.render_input(LoginForm().email, autocomplete=TYPED)
    assert 'value="a&#34;b&lt;c&gt;d&amp;e&#39;f"' in html
    assert 'autocomplete="a&#34;b&lt;c&gt;d&amp;e&#39;f"' in html
    assert TYPED not in html
