"""Guard: services/access.py is the only place that decides whose rows a query may see.

A comparison of a model's ``owner_id`` or ``user_id`` column anywhere else in services/ is an
ownership rule written a second time: the next change to who may see what (a team, a role) would
miss it. Services build on ``access.projects_of`` / ``access.entry_scope`` and friends instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.architecture.project_files import ROOT

OWNERSHIP_COLUMNS = {"owner_id", "user_id"}
POLICY = ROOT / "services" / "access.py"


def ownership_comparisons(path: Path, root: Path = ROOT) -> list[str]:
    """``Model.owner_id == x`` (or ``!=``, ``in_``…) where Model is a class name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Compare):
            continue
        for side in (node.left, *node.comparators):
            if (
                isinstance(side, ast.Attribute)
                and side.attr in OWNERSHIP_COLUMNS
                and isinstance(side.value, ast.Name)
                and side.value.id[:1].isupper()
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def scattered_ownership_rules(root: Path) -> list[str]:
    return [
        place
        for path in sorted((root / "services").rglob("*.py"))
        if path != root / "services" / "access.py"
        for place in ownership_comparisons(path, root)
    ]


def test_only_the_access_policy_filters_by_owner() -> None:
    assert ownership_comparisons(POLICY), "the policy itself should hold the ownership rules"
    assert scattered_ownership_rules(ROOT) == []


def test_an_ownership_filter_outside_the_policy_is_caught(tmp_path: Path) -> None:
    """The guard itself, on a file written the way the services were before the policy existed."""
    service = tmp_path / "services" / "projects" / "projects.py"
    service.parent.mkdir(parents=True)
    service.write_text(
        "def get_project_for(owner_id, project_id):\n"
        "    return select(Project).where(Project.id == project_id, Project.owner_id == owner_id)\n"
    )
    assert scattered_ownership_rules(tmp_path) == ["services/projects/projects.py:2"]
