"""Guard 7: pytest turns every warning into an error, so no deprecated API goes unnoticed."""

from __future__ import annotations

import warnings

import pytest


def test_pytest_is_configured_with_warnings_as_errors(pytestconfig: pytest.Config) -> None:
    assert "error" in pytestconfig.getini("filterwarnings")


def test_a_deprecation_warning_fails() -> None:
    with pytest.raises(DeprecationWarning):
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
