"""Guard: app-wide hooks are registered in one visible place, ``routes/site.py:init_app``.

A feature blueprint that adds ``after_app_request`` or an ``app_template_filter`` changes every page
of the app from a file named after one feature; the next reader never finds it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.architecture.project_files import ROOT

APP_WIDE = re.compile(
    r"\.(before_app_request|after_app_request|teardown_app_request|app_errorhandler|"
    r"app_template_filter|app_template_global|app_context_processor|app_url_defaults)\b"
)


def app_wide_hooks_outside_site(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}"
        for path in sorted((root / "routes").rglob("*.py"))
        if path.name != "site.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if APP_WIDE.search(line)
    ]


def test_feature_blueprints_add_no_app_wide_hooks() -> None:
    assert app_wide_hooks_outside_site(ROOT) == []


def test_a_hook_in_a_feature_blueprint_is_caught(tmp_path: Path) -> None:
    views = tmp_path / "routes" / "auth" / "views.py"
    views.parent.mkdir(parents=True)
    views.write_text("@bp.after_app_request\ndef no_store(response):\n    return response\n")
    assert app_wide_hooks_outside_site(tmp_path) == ["routes/auth/views.py:1"]
