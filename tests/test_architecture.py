"""The core and the assist package never import Qt widgets (anki's pylib/aqt split)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


# The floors (../shared/design.md): each imports only from the floors below it.
FLOORS = ["editor", "assist", "widgets", "entry"]


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_core_and_assist_sources_do_not_import_qtwidgets() -> None:
    offenders = []
    for package in ("editor", "assist"):
        for path in _sources(package):
            bad = {n for n in _imports(path) if "QtWidgets" in n}
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_each_floor_imports_only_from_the_floors_below() -> None:
    offenders = []
    for level, package in enumerate(FLOORS):
        above = FLOORS[level + 1 :]
        for path in _sources(package):
            bad = {n for n in _imports(path) if n.split(".")[0] in above}
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_no_sql_above_the_store_and_nothing_bypasses_the_session() -> None:
    import re

    sql = re.compile(r"\.conn\b|sqlite3\.connect|\.db\.(?:table|execute)")
    bypass = re.compile(r"\bproject\.(?:execute|undo|redo|commit_draft|save_draft)\(")
    offenders = []
    for package in ("assist", "widgets", "entry"):
        for path in _sources(package):
            text = path.read_text(encoding="utf-8")
            if sql.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: SQL above the store")
            if package != "assist" and bypass.search(text):
                offenders.append(
                    f"{path.relative_to(ROOT)}: changes the project around the session"
                )
    assert offenders == []


def test_importing_every_core_module_loads_no_qtwidgets() -> None:
    # Catches indirect imports too: load every module in a clean interpreter.
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in ("editor", "assist")
        for p in sorted((ROOT / package).rglob("*.py"))
        if p.name != "__main__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m.removesuffix('.__init__'))\n"
        "print('PySide6.QtWidgets' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
