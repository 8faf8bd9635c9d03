# Public API of Flask-WTF 1.x (flask_wtf/__init__.py); see typings/README.md.
from typing import Any

from flask_wtf.csrf import CSRFProtect as CSRFProtect
from flask_wtf.form import FlaskForm as FlaskForm
from flask_wtf.form import FlaskForm as Form

__version__: str

# reCAPTCHA support is not used here; declared so an import of it is not an error.
Recaptcha: Any
RecaptchaField: Any
RecaptchaWidget: Any

__all__ = ["CSRFProtect", "FlaskForm", "Form", "Recaptcha", "RecaptchaField", "RecaptchaWidget"]
