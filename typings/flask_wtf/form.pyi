# flask_wtf/form.py of Flask-WTF 1.x; see typings/README.md.
from typing import Any

from markupsafe import Markup
from wtforms import Field, Form

SUBMIT_METHODS: set[str]

class FlaskForm(Form):
    # formdata defaults to the request's form and files; pass None for an unbound form.
    def __init__(self, formdata: Any = ..., **kwargs: Any) -> None: ...
    def is_submitted(self) -> bool: ...
    def validate_on_submit(self, extra_validators: Any = None) -> bool: ...
    def hidden_tag(self, *fields: Field | str) -> Markup: ...
