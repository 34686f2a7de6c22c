"""Shared fixtures: paths to ../shared, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.openai_server"]  # the OpenAI-compatible test server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
PAIRS = SHARED / "pairs"


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside the repo")
    return SAMPLES


@pytest.fixture
def scripted():
    """Register the scripted model with llm for one test; yields its script."""
    from llm.plugins import pm

    from tests.scripted_model import ScriptedPlugin, new_script

    script = new_script()
    pm.register(ScriptedPlugin(script), name="scripted-model-plugin")
    try:
        yield script
    finally:
        pm.unregister(name="scripted-model-plugin")
