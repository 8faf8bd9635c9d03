"""The trap table (docs/traps.md) points at real code and real tests.

Every ``path:function`` and ``path::test`` named in the table must exist, so a rename cannot leave
the front door pointing at nothing."""

from __future__ import annotations

import re

from tests.architecture.project_files import ROOT

TABLE = (ROOT / "docs" / "traps.md").read_text()
ROWS = [line for line in TABLE.splitlines() if line.startswith("| ") and "---" not in line][1:]
REFERENCE = re.compile(r"`([\w/.-]+\.py)((?:::|:)[\w.]+)?`")
CONTINUATION = re.compile(r"`::(\w+)`")


def references() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for row in ROWS:
        last_file = None
        where_and_test = "|".join(row.split("|")[2:])  # the trap column quotes the articles' code
        for match in re.finditer(r"`[^`]+`", where_and_test):
            text = match.group(0)
            full = REFERENCE.fullmatch(text)
            if full:
                last_file = full.group(1)
                name = full.group(2)
                found.append((last_file, name.lstrip(":") if name else None))
                continue
            more = CONTINUATION.fullmatch(text)
            if more and last_file:
                found.append((last_file, more.group(1)))
    return found


def test_the_table_has_a_row_for_every_trap() -> None:
    assert len(ROWS) >= 25
    assert all(row.count("|") >= 4 for row in ROWS)


def test_every_file_function_and_test_named_in_the_table_exists() -> None:
    missing = []
    for path, name in references():
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
            continue
        if name:
            last = name.split(".")[-1]
            definition = rf"^\s*(?:def|class)\s+{re.escape(last)}\b|^{re.escape(last)}\s*="
            if not re.search(definition, file.read_text(), re.MULTILINE):
                missing.append(f"{path}:{name}")
    assert references()
    assert missing == []
