"""Every file or folder the README, CONTRIBUTING.md and docs/ quote in backticks exists.

The tree was restructured once (architecture v2) and the README named paths that had moved; a
path in the docs is checked like a name in code. ``path:function`` and ``path::test`` are checked
for the path part here (docs/traps.md's names are checked in full by test_traps_doc.py).
"""

from __future__ import annotations

import re

from tests.architecture.project_files import ROOT

DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
# A quoted path: a top-level file with a known suffix, or something with a slash in it.
QUOTED = re.compile(
    r"`([\w.-]+(?:/[\w.-]*)+|[\w.-]+\.(?:py|md|toml|txt|yaml|lock|sh|ini))(?::[\w:.]*)?`"
)
# Made at run time, or outside the repository.
NOT_IN_THE_TREE = (
    "instance/",
    "test-artifacts/",
    ".venv/",
    ".tools/",
    "../",
    "migrations/versions/2",
)


def without_trap_column(text: str) -> str:
    """docs/traps.md's first column quotes the articles' code (`myapp/__init__.py`), not ours."""
    return "\n".join(
        "|".join(line.split("|")[2:]) if line.startswith("| ") else line
        for line in text.splitlines()
    )


def quoted_paths() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for match in QUOTED.finditer(without_trap_column(doc.read_text())):
            path = match.group(1)
            if "://" in path or path.startswith(NOT_IN_THE_TREE):
                continue
            found.append((doc.name, path))
    return found


def test_the_docs_quote_paths() -> None:
    assert len(quoted_paths()) > 40


def test_every_quoted_path_exists() -> None:
    missing = [f"{doc}: {path}" for doc, path in quoted_paths() if not (ROOT / path).exists()]
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)
