"""Spell checking: misspelled words found, names from the project and the user dictionary
known, suggestions offered, the language chosen per project."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor import spelling
from editor.spelling import LANGUAGES, Speller


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def marked(speller: Speller, text: str) -> list[str]:
    return [text[a:b] for a, b in speller.misspelled(text)]


def test_misspelled_words_and_what_is_known() -> None:
    speller = Speller(known=["Andrej Karpathy", "Dwarkesh Patel"])
    text = "Andrej sayd that teh models aren't there, Dwarkesh. NASA and LLMs, re-edit 2024."
    assert marked(speller, text) == ["sayd", "teh"]
    assert "said" in speller.suggestions("sayd")
    assert speller.suggestions("Teh")[0][0].isupper()  # a capital stays a capital


def test_the_user_dictionary_is_shared_across_projects() -> None:
    speller = Speller()
    assert marked(speller, "We use Obsidian and Zettelkasten.") == ["Zettelkasten"]
    speller.learn("Zettelkasten")
    assert marked(speller, "Zettelkasten again.") == []
    assert marked(Speller(), "A new project: Zettelkasten.") == []
    assert "zettelkasten" in spelling.user_dictionary_path().read_text(encoding="utf-8")


def test_the_language_is_per_project() -> None:
    german = Speller("de")
    assert marked(german, "Das Boot ist sehr schön.") == []
    assert marked(Speller("en"), "Das Boot ist sehr schön.") != []
    assert Speller("xx").language == "en"  # an unknown language falls back, never fails


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_word_lists_are_read_entry_by_entry_as_json_reads_them(language: str) -> None:
    # Read in a loop (so a thread loading one lets the window run), every list must come out
    # exactly as pyspellchecker's own json.loads gives it.
    import gzip
    import json
    import pkgutil

    from editor.spelling import frequencies

    raw = pkgutil.get_data("spellchecker", f"resources/{language}.json.gz")
    assert raw is not None
    assert frequencies(language) == json.loads(gzip.decompress(raw).decode("utf-8"))
