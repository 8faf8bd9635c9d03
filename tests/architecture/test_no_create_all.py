"""Guard 6: the schema comes only from migrations. create_all/drop_all appear nowhere in the app.

create_all at start-up hides a missing migration (the app works locally, the migration that
production runs lacks the table) and never alters an existing table."""

from __future__ import annotations

import re

from tests.architecture.project_files import ROOT, application_files

FORBIDDEN = re.compile(r"\b(create_all|drop_all)\b")


def offending_lines(paths) -> list[str]:
    return [
        f"{path}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]


def test_no_create_all_outside_tests() -> None:
    paths = [
        *application_files(),
        *(ROOT / "migrations").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
    ]
    assert offending_lines(paths) == []


def test_the_scan_finds_create_all(tmp_path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def boot():\n    db.create_all()\n")
    assert offending_lines([sample]) == [f"{sample}:2: db.create_all()"]
