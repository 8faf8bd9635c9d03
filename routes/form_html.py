"""A form field's plain ``<input>`` and its ``<label>`` as HTML, without WTForms' widgets.

WTForms builds every attribute through ``Markup.format`` (a ``string.Formatter`` pass that escapes
each piece again), which made the two fields of the login page more than a third of its cost
(issue 12). These functions write the same bytes: same attributes, sorted the same way, values
escaped the same way (``markupsafe.escape``, then ``"`` as ``&quot;`` for a ``Markup`` value), the
field's ``render_kw`` and validation flags (``required``, ``maxlength``...) included. A widget not
listed in ``_INPUT_TYPES`` (select, text area, date, number, radio...) is left to WTForms.
``tests/test_form_html.py`` checks the output against WTForms' own for every field of every form.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import Field, Form
from wtforms.widgets import CheckboxInput, EmailInput, HiddenInput, PasswordInput, TextInput

# Exactly these classes (not subclasses, which may render differently): their ``input_type``.
_INPUT_TYPES: dict[type, str] = {
    TextInput: "text",
    EmailInput: "email",
    PasswordInput: "password",
    HiddenInput: "hidden",
    CheckboxInput: "checkbox",
}


def clean_key(key: str) -> str:
    """An attribute name as WTForms spells it: ``class_`` is ``class``, ``aria_label`` is
    ``aria-label`` (so ``render_kw`` and keyword arguments mean what they mean to WTForms)."""
    key = key.rstrip("_")
    if key.startswith(("data_", "aria_")):
        key = key.replace("_", "-")
    return key


def attributes(values: dict[str, Any]) -> str:
    """``name="value"`` pairs sorted by name; ``True`` is a bare name, ``False`` is left out."""
    parts = []
    for name in sorted(values):
        value = values[name]
        if value is True:
            parts.append(name)
        elif value is not False:
            parts.append(f'{name}="{str.replace(escape(value), chr(34), "&quot;")}"')
    return " ".join(parts)


def render_input(field: Field, **kwargs: Any) -> Markup:
    """``field(**kwargs)``, the same HTML, without the widget for a plain ``<input>``."""
    widget: Any = field.widget
    input_type = _INPUT_TYPES.get(type(widget))
    if input_type is None or getattr(field, "_datalist", None) is not None:
        rendered: Markup = field(**kwargs)
        return rendered
    values = {clean_key(name): value for name, value in (field.render_kw or {}).items()}
    values.update((clean_key(name), value) for name, value in kwargs.items())
    if input_type == "checkbox" and getattr(field, "checked", field.data):
        values.setdefault("checked", True)
    values.setdefault("id", field.id)
    values.setdefault("type", input_type)
    if input_type == "password" and widget.hide_value:
        values["value"] = ""
    elif "value" not in values:
        values["value"] = field._value()  # type: ignore[attr-defined]  # every Field has it
    flags = vars(field.flags)
    for name in widget.validation_attrs:
        if name in flags and name not in values:
            value = flags[name]
            values[name] = value() if callable(value) else value
    values["name"] = field.name
    return Markup(f"<input {attributes(values)}>")  # noqa: S704 (every value escaped)


def render_label(field: Field) -> Markup:
    """``field.label``, the same HTML: ``<label for="id">text</label>``."""
    label = field.label
    return Markup(  # noqa: S704 (both escaped)
        f'<label for="{str.replace(escape(label.field_id), chr(34), "&quot;")}">'
        f"{escape(label.text)}</label>"
    )


def render_hidden_fields(form: Form) -> Markup:
    """``form.hidden_tag()`` (Flask-WTF), the same HTML: each hidden field (the CSRF token...)."""
    return Markup(  # noqa: S704 (each input escaped)
        "\n".join(render_input(field) for field in form if isinstance(field.widget, HiddenInput))
    )
