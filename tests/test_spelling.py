"""Spell checking: misspelled words found, names from the project and the user dictionary
known, suggestions offered, the language chosen per project."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor import spelling
from editor.spelling import Speller


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


def test_a_prefix_written_with_a_hyphen_is_a_word() -> None:
    # "pre-existing" was underlined ("pre" is no word), "co-founder" was not.
    speller = Speller()
    text = "A pre-existing quote, a non-native speaker, a co-founder, a pre-xqzt thing."
    assert marked(speller, text) == ["pre-xqzt"]


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


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_the_dictionary_read_in_a_child_answers_as_pyspellcheckers_own(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read in a child process (so a window loading it keeps Python's lock), then built
    # case-sensitive over lower-cased words: the same words, counts and letters as
    # pyspellchecker's own loader, and the same answers to what the Speller asks.
    import subprocess

    from spellchecker import SpellChecker

    own = SpellChecker(language=language, distance=1)
    children: list[list[str]] = []
    real_run = subprocess.run

    def run(args: list[str], **kwargs: object) -> object:
        children.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", run)
    spelling.forget_dictionaries()
    try:
        ours = spelling.dictionary(language)
    finally:
        spelling.forget_dictionaries()
    assert len(children) == 1 and children[0][-1] == language
    assert ours.word_frequency.dictionary == own.word_frequency.dictionary
    assert ours.word_frequency.letters == own.word_frequency.letters
    ours_wf, own_wf = ours.word_frequency, own.word_frequency
    assert (ours_wf.longest_word_length, ours_wf.total_words, ours_wf.unique_words) == (
        own_wf.longest_word_length,
        own_wf.total_words,
        own_wf.unique_words,
    )
    for word in ("teh", "sommer", "recieve", "hause", "привет"):
        assert ours.unknown([word]) == own.unknown([word])
        assert ours.candidates(word) == own.candidates(word)


def test_without_a_child_process_the_dictionary_is_read_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import subprocess

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError("no child processes here")

    monkeypatch.setattr(subprocess, "run", refused)
    spelling.forget_dictionaries()
    try:
        assert not spelling.dictionary("en").unknown(["hello"])
        assert spelling.dictionary("en").unknown(["helloo"])
    finally:
        spelling.forget_dictionaries()


def test_a_word_list_cut_short_is_read_here_instead() -> None:
    # A child that died mid-way: the list is read in this process, never left half loaded.
    whole = spelling.fetch_word_list("en")
    assert whole is not None
    spelling.forget_dictionaries()
    try:
        steps = list(spelling.load_steps("en", whole[: len(whole) // 2]))
        assert len(steps) >= 10  # taken in a chunk at a time until the fault
        assert not spelling.dictionary("en").unknown(["hello", "zebra"])
        assert spelling.dictionary("en").word_frequency.unique_words > 100_000
    finally:
        spelling.forget_dictionaries()
