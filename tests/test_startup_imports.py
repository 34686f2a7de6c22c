"""Issue 13: a command imports only what it needs. ``assist`` with the offline engine never
loads llm (its plugins bring the OpenAI SDK, half a second); opening a project needs neither
the importers, the exporters nor ftfy; the window module leaves the exporters and numpy for
when they are used. Each is checked in a fresh interpreter, as a user starts the app."""

from __future__ import annotations

import asyncio
import json
import os
import site
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

HEAVY = ("llm", "openai", "sqlite_utils", "numpy", "ftfy", "editor.exporters", "editor.importing")


def _loaded_after(
    code: str, names: tuple[str, ...] = HEAVY, *, bare: bool = False
) -> tuple[set[str], str]:
    """Which of ``names`` a fresh interpreter has loaded after running ``code``, and all it
    printed. ``bare``: without ``site``, whose .pth hooks (a machine's own, an editable
    install's) may load modules themselves; the installed packages are put on the path."""
    probe = code + f"\nimport sys\nprint(sorted(m for m in {names!r} if m in sys.modules))"
    if bare:
        probe = f"import sys\nsys.path += {site.getsitepackages()!r}\n" + probe
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, *(["-S"] if bare else []), "-c", probe]
    out = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=env, check=True
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1].replace("'", '"'))), out


def _project(tmp_path: Path) -> Path:
    from editor.model import Passage, Speaker, Transcript
    from editor.store import Project

    text = "So, um, we met Andrei at the the conference."
    doc = Transcript(speakers=[Speaker("A", "Ann")], passages=[Passage(0, text, text)])
    path = tmp_path / "p.tedit"
    Project.create(path, doc).close()
    return path


def test_assist_with_the_offline_engine_loads_no_llm(tmp_path: Path) -> None:
    # Nor an event loop (asyncio is 40 ms to import): the built-in engine runs in place. Nor
    # the suggestion types (~9 ms of frozen dataclasses): readability rows need none.
    path = _project(tmp_path)
    loaded, out = _loaded_after(
        "from entry.cli import main\n"
        f"assert main(['assist', {str(path)!r}, '--model', 'offline']) == 0",
        (*HEAVY, "asyncio", "assist.suggestion"),
    )
    assert not loaded & {"llm", "openai", "sqlite_utils", "numpy", "ftfy", "asyncio"}
    assert "assist.suggestion" not in loaded
    assert "asked 1, cached 0, suggested 1" in out
    from editor.store import Project

    with Project.open(path) as project:  # and it did its work
        assert [(s["proposed"], s["status"]) for s in project.suggestions.values()] == [
            ("We met Andrei at the conference.", "pending")
        ]
        assert project.conn.execute("SELECT count(*) FROM assist_cache").fetchone()[0] == 1


def test_reading_the_prompts_loads_no_importlib_resources(tmp_path: Path) -> None:
    # It brings zipfile, tempfile and its readers: ~20 ms of a 150 ms budget, for reading a
    # file that is always a file (the package is installed as a folder).
    path = _project(tmp_path)
    loaded, out = _loaded_after(
        "from entry.cli import main\n"
        f"assert main(['assist', {str(path)!r}, '--model', 'offline']) == 0",
        ("importlib.resources", "zipfile"),
        bare=True,
    )
    assert loaded == set() and "suggested 1" in out


def test_opening_a_project_loads_no_importer_or_exporter(tmp_path: Path) -> None:
    path = _project(tmp_path)
    loaded, _ = _loaded_after(
        f"from editor.opening import open_path\nopen_path({str(path)!r}).close()"
    )
    assert loaded == set()


def test_importing_a_transcript_into_a_new_project_loads_no_sqlite_utils(tmp_path: Path) -> None:
    # The new project's rows go in with the standard library (sqlite-utils: 70-110 ms).
    source = tmp_path / "talk.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n", encoding="utf-8")
    out = tmp_path / "talk.tedit"
    loaded, printed = _loaded_after(
        f"from entry.cli import main\nassert main(['import', {str(source)!r}, '-o', {str(out)!r}]) == 0",
        ("sqlite_utils", "numpy", "llm"),
    )
    assert loaded == set() and "imported 1 passage, 1 speaker" in printed


def test_the_window_module_leaves_exporters_and_numpy_for_later() -> None:
    assert _loaded_after("import widgets.main_window")[0] == set()


def test_a_window_without_a_recording_or_suggestions_loads_neither_player_nor_checks(
    tmp_path: Path,
) -> None:
    # The player (QtMultimedia, its FFmpeg backend, the sound server) is made with the first
    # recording: 50-90 ms of a window's start otherwise. The suggestions' checks, commands
    # and prompts load with the first suggestion or change: 30-40 ms more. The panels the
    # window opens with hidden or behind a tab (Find, AI assist, Memory) are made when first
    # shown: 50-70 ms more.
    path = _project(tmp_path)
    loaded, _ = _loaded_after(
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from widgets.main_window import MainWindow\n"
        "window = MainWindow(interactive=False)\n"
        f"assert window.open_file({str(path)!r})\n"
        "window.show()\n"
        "app.processEvents()",
        (
            "PySide6.QtMultimedia",
            "PySide6.QtMultimediaWidgets",
            "assist.faithfulness",
            "assist.review",
            "assist.learning",
            "assist.prompts",
            "widgets.find_panel",
            "widgets.assist_panel",
            "widgets.memory_panel",
            "widgets.welcome",  # a window opening a project never shows it
            *HEAVY,
        ),
    )
    assert loaded == set()


def test_the_direct_engine_answers_as_the_llm_registered_one() -> None:
    import llm

    from assist.calling import resolve
    from assist.offline_engine import DirectOfflineModel

    data = {"passages": [{"passage_id": 1, "text": "So, um, we met."}], "level": "light"}
    prompt = f"<transcript_data>{json.dumps(data)}</transcript_data>"
    handle = resolve("offline")
    assert isinstance(handle.model, DirectOfflineModel) and handle.is_async

    async def both() -> tuple[str, str]:
        direct = await handle.model.prompt(prompt).text()
        registered = await llm.get_async_model("offline").prompt(prompt).text()
        return direct, registered

    direct, registered = asyncio.run(both())
    assert direct == registered
    assert json.loads(direct)["passages"][0]["passage_id"] == 1
