"""Guard: only ``routes/auth/signing_in.py:sign_in`` calls Flask-Login's ``login_user``.

With server-side sessions a sign-in is two steps (a session row, then the cookie); a view that
calls ``login_user`` on its own fails at run time (``User.get_id`` has no session key), as the
team invitation's sign-up did when teams and sessions met.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.architecture.project_files import ROOT

CALL = re.compile(r"\blogin_user\(")


def direct_sign_ins(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}"
        for path in sorted((root / "routes").rglob("*.py"))
        if path.name != "signing_in.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CALL.search(line)
    ]


def test_views_sign_in_through_one_helper() -> None:
    assert direct_sign_ins(ROOT) == []


def test_a_direct_login_user_is_caught(tmp_path: Path) -> None:
    views = tmp_path / "routes" / "teams" / "views.py"
    views.parent.mkdir(parents=True)
    views.write_text("def signup():\n    login_user(user)\n")
    assert direct_sign_ins(tmp_path) == ["routes/teams/views.py:2"]
