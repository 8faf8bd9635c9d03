"""Guard 3: after create_app(), db.metadata holds exactly the tables of every model in models/.

The seeds' trap: a model in its own file that nothing imports is invisible to create_all,
drop_all and Alembic autogenerate (an empty migration). ``models/__init__.py`` re-exports every
model and the factory imports it; a fresh interpreter proves that is enough on its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.architecture.project_files import ROOT, clean_env, copy_of_the_tree

PROBE = textwrap.dedent(
    """
    import importlib, inspect, json, pkgutil
    import sqlalchemy.orm
    from app import create_app
    from extensions import db

    app = create_app("testing")
    seen_by_app = sorted(db.metadata.tables)       # before anything else imports a model module
    sqlalchemy.orm.configure_mappers()              # every relationship resolves by class name

    import models
    defined = set()
    for info in pkgutil.walk_packages(models.__path__, "models."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            is_model = issubclass(cls, db.Model) and hasattr(cls, "__table__")
            if is_model and cls.__module__ == module.__name__:
                defined.add(cls.__table__.name)
    print(json.dumps({"seen_by_app": seen_by_app, "defined": sorted(defined),
                      "exported": sorted(models.__all__)}))
    """
)


def run_probe(cwd=ROOT) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_metadata_has_exactly_the_tables_of_the_model_modules() -> None:
    found = run_probe()
    assert found["defined"], "no model found under models/"
    assert found["seen_by_app"] == found["defined"]


def test_a_model_missing_from_models_init_is_caught(tmp_path) -> None:
    """The guard itself: a new model module that models/__init__.py does not import."""
    tree = copy_of_the_tree(tmp_path / "tree")
    (tree / "models" / "invoice.py").write_text(
        textwrap.dedent(
            """
        from sqlalchemy.orm import Mapped, mapped_column
        from extensions import db

        class Invoice(db.Model):
            __tablename__ = "invoices"
            id: Mapped[int] = mapped_column(primary_key=True)
        """
        )
    )
    found = run_probe(cwd=tree)
    assert "invoices" in found["defined"]
    assert "invoices" not in found["seen_by_app"]
