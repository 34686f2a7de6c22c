"""Text layouts QA found misread: names our own TXT export writes, a voice heard once in a
long dialogue, timed lines without speakers, Markdown's bold labels. Each through the real
import path (``load_transcript``) or the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.importers.dialogue import parse_label
from editor.importers.speaker_blocks import parse_header
from editor.importing import load_transcript
from editor.model import Transcript
from entry.cli import main

CLOCK_IN_TEXT = re.compile(r"\d{1,2}:\d{2}")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _turns(doc: Transcript) -> list[tuple[str, str]]:
    return [(doc.speakers[p.speaker_id].name, p.text) for p in doc.passages]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


# -- 1. names the app lets people set read back from our TXT export -----------------------

NAMES = [
    "Neil deGrasse Tyson",
    "iJustine",
    "50 Cent",
    "2Pac",
    "Ludwig van Beethoven",
    "Leonardo da Vinci",
    "Jean d'Arc",
    "Abu Bakr al-Baghdadi",
    "Maria de la Cruz",
    "Ansel Adams",
]
TIMED_DIALOGUE = (
    "[00:00:01] Ann Lee: Welcome to the show, it is good to have you here.\n"
    "[00:00:04] Bob: Thanks, glad to be here.\n"
    "[00:00:08] Ann Lee: Let us start with the boats.\n"
    "[00:00:12] Bob: Boats it is.\n"
)


@pytest.mark.parametrize("timestamps", [True, False])
@pytest.mark.parametrize("name", NAMES)
def test_a_renamed_speaker_reads_back_from_txt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, timestamps: bool
) -> None:
    source = _write(tmp_path, "talk.txt", TIMED_DIALOGUE)
    project, again = tmp_path / "talk.tedit", tmp_path / "again.tedit"
    out = tmp_path / "out.txt"
    assert _cli(capsys, "import", str(source), "-o", str(project))[0] == 0
    code, err = _cli(capsys, "speakers", str(project), "--rename", f"Bob={name}")
    assert code == 0, err
    flags = [] if timestamps else ["--no-timestamps"]
    assert _cli(capsys, "export", str(project), "-o", str(out), *flags)[0] == 0
    assert _cli(capsys, "import", str(out), "-o", str(again))[0] == 0
    doc = load_transcript(out)
    assert doc.format == ("speaker-blocks" if timestamps else "dialogue")
    assert [s.name for s in doc.speakers] == ["Ann Lee", name]
    assert [who for who, _ in _turns(doc)] == ["Ann Lee", name, "Ann Lee", name]
    assert _turns(doc)[1][1] == "Thanks, glad to be here."


@pytest.mark.parametrize("name", ["Neil deGrasse Tyson", "iJustine", "50 Cent", "Jean d'Arc"])
def test_such_names_are_headers_and_labels(name: str) -> None:
    assert parse_header(f"{name} 00:00:02") == (name, 2.0)
    assert parse_header(f"[00:00:02] {name}") == (name, 2.0)
    label = parse_label(f"{name}: Hello there.")
    assert label is not None and label[0] == name


@pytest.mark.parametrize(
    "line",
    [
        "So at 12:30 we left",
        "so at 12:30",
        "we left at 12:30",
        "and then around 1:02:03",
        "2 00:00:03",
        "1. Introduction 00:00:00",
        "bell hooks 00:00:02",  # all lower case: not told from prose, still text
        "the iPhone came out 10:30",
    ],
)
def test_prose_ending_in_a_time_is_no_header(line: str) -> None:
    assert parse_header(line) is None


@pytest.mark.parametrize(
    "line",
    ["Note that: this is prose", "so: we left", "10: ten", "1. Step: go", "i think: yes"],
)
def test_prose_with_a_colon_is_no_label(line: str) -> None:
    assert parse_label(line) is None


# -- 2. a voice heard once in a long dialogue ---------------------------------------------

THIRD_VOICE = (
    "Ann: Good evening and welcome to the harbour hour.\n"
    "Bob: Good evening, thanks for having me on.\n"
    "Ann: You sailed around the island last summer.\n"
    "Bob: I did, it took nine days in all.\n"
    "Editor: Sorry to cut in, we are nearly out of time.\n"
    "Ann: Quickly then. What was the hardest part?\n"
    "Bob: The fog on the third night.\n"
    "Ann: Thank you, Bob.\n"
    "Bob: Thank you.\n"
)


def test_a_voice_heard_once_in_a_long_dialogue_is_its_own_passage(tmp_path: Path) -> None:
    doc = load_transcript(_write(tmp_path, "third.txt", THIRD_VOICE))
    assert doc.format == "dialogue"
    assert [s.name for s in doc.speakers] == ["Ann", "Bob", "Editor"]
    assert _turns(doc)[3:6] == [
        ("Bob", "I did, it took nine days in all."),
        ("Editor", "Sorry to cut in, we are nearly out of time."),
        ("Ann", "Quickly then. What was the hardest part?"),
    ]
    assert len(doc.passages) == 9


@pytest.mark.parametrize(
    "line",
    [
        "Summary: three points",
        "Note: The figures are rounded to the nearest ten.",
        "First: never go alone.",
    ],
)
def test_a_heading_or_list_line_inside_a_turn_is_still_text(tmp_path: Path, line: str) -> None:
    text = THIRD_VOICE.replace("Editor: Sorry to cut in, we are nearly out of time.", line)
    doc = load_transcript(_write(tmp_path, "heading.txt", text))
    assert [s.name for s in doc.speakers] == ["Ann", "Bob"]
    assert _turns(doc)[3] == ("Bob", f"I did, it took nine days in all. {line}")


def test_a_list_of_one_off_labels_stays_in_the_turn(tmp_path: Path) -> None:
    text = THIRD_VOICE.replace(
        "Editor: Sorry to cut in, we are nearly out of time.\n",
        "Morning: We checked the ropes twice.\nEvening: We dropped the anchor early.\n",
    )
    doc = load_transcript(_write(tmp_path, "list.txt", text))
    assert [s.name for s in doc.speakers] == ["Ann", "Bob"]
    assert _turns(doc)[3][1].endswith("Evening: We dropped the anchor early.")


# -- 3. timed lines without speakers ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        (
            "0:00 welcome back everyone\n0:03 today we look at tides\n0:07 [Music]\n"
            "0:12 >> and here is my guest\n1:02:15 >> thanks for having me\n",
            [0.0, 3.0, 7.0, 12.0, 3735.0],
        ),
        (
            "[00:00:00] welcome back everyone to the show.\n[00:00:03] today we look at tides.\n"
            "[00:00:07] it is going to be fun.\n",
            [0.0, 3.0, 7.0],
        ),
        ("(0:01) Hello there.\n\n(0:04.5) Hi.\n\n(0:09) Bye now.\n", [1.0, 4.5, 9.0]),
        (  # lines that alone would read as "[time] Name" headers are lines like the rest
            "[00:00:00] Welcome everyone.\n[00:00:03] Thanks Bob\n[00:00:05] So, tides.\n"
            "[00:00:09] Hello Sea\n[00:00:12] and more.\n",
            [0.0, 3.0, 5.0, 9.0, 12.0],
        ),
    ],
)
def test_timed_lines_are_timed_passages(tmp_path: Path, text: str, starts: list[float]) -> None:
    doc = load_transcript(_write(tmp_path, "timed.txt", text))
    assert [s.name for s in doc.speakers] == ["Unknown"]
    assert not any(CLOCK_IN_TEXT.search(p.text) for p in doc.passages)
    words = " ".join(p.text for p in doc.passages).split()
    assert words == re.sub(r"[\[(]?\d[\d:.]*[\])]?(?= )", "", text).split()
    assert doc.passages[0].start == starts[0]
    # Every line's time is kept: as a passage's start or a cue time inside one.
    kept = {p.start for p in doc.passages} | {t[1] for t in doc.cue_times}
    assert set(starts) <= kept


def test_timed_lines_continue_on_untimed_lines(tmp_path: Path) -> None:
    text = "0:01 First line of the talk\nwrapped onto a second line.\n0:05 Next one.\n"
    doc = load_transcript(_write(tmp_path, "wrap.txt", text))
    assert " ".join(p.text for p in doc.passages) == (
        "First line of the talk wrapped onto a second line. Next one."
    )
    assert doc.passages[0].start == 1.0


def test_timed_lines_going_backwards_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "back.txt", "0:05 one two\n0:09 three four\n0:02 five six\n")
    with pytest.raises(ImportFailed, match="line 3"):
        load_transcript(path)
    code, err = _cli(capsys, "import", str(path), "-o", str(tmp_path / "back.tedit"))
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "back.tedit").exists()


def test_prose_with_a_time_at_a_paragraph_start_stays_prose(tmp_path: Path) -> None:
    text = (
        "We met at the harbour in the morning.\n\n"
        "10:30 was when the boat finally left.\n\n"
        "By noon we were out of sight of land.\n\n"
        "The evening was calm.\n"
    )
    doc = load_transcript(_write(tmp_path, "prose.txt", text))
    assert doc.format == "plain"
    assert [p.text for p in doc.passages] == text.strip().split("\n\n")


# -- 4. Markdown's bold speaker labels ----------------------------------------------------

BOLD = {
    "colon inside": "**Host:** Welcome to the show.\n\n**Guest:** Thanks, glad to be here.\n",
    "colon after": "**Host**: Welcome to the show.\n\n**Guest**: Thanks, glad to be here.\n",
}


@pytest.mark.parametrize("suffix", [".md", ".txt"])
@pytest.mark.parametrize("layout", list(BOLD))
def test_bold_labels_are_speakers(tmp_path: Path, layout: str, suffix: str) -> None:
    text = "# My Interview\n\n" + BOLD[layout] + "\nA second paragraph of the guest.\n\n"
    text += BOLD[layout].split("\n\n")[0].replace("Welcome to the show.", "Let us start.\n")
    doc = load_transcript(_write(tmp_path, f"talk{suffix}", text))
    assert doc.title == "My Interview"
    assert _turns(doc) == [
        ("Host", "Welcome to the show."),
        ("Guest", "Thanks, glad to be here."),
        ("Guest", "A second paragraph of the guest."),
        ("Host", "Let us start."),
    ]


def test_bold_labels_round_trip_through_our_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, "bold.md", BOLD["colon inside"] + "\n**Host:** Bye *now*.\n")
    first, second = tmp_path / "a.tedit", tmp_path / "b.tedit"
    out = tmp_path / "out.md"
    assert _cli(capsys, "import", str(source), "-o", str(first))[0] == 0
    assert _cli(capsys, "export", str(first), "-o", str(out))[0] == 0
    assert _cli(capsys, "import", str(out), "-o", str(second))[0] == 0
    assert _turns(load_transcript(out)) == _turns(load_transcript(source))
    assert _turns(load_transcript(source))[-1] == ("Host", "Bye *now*.")


def test_bold_words_in_an_ordinary_document_are_not_speakers(tmp_path: Path) -> None:
    text = (
        "# Release notes\n\n**Note:** the figures are rounded.\n\n"
        "Some paragraph about the release and what changed in it.\n\n"
        "Another paragraph with more detail.\n\n**Warning:** back up first.\n"
    )
    doc = load_transcript(_write(tmp_path, "notes.md", text))
    assert doc.format == "plain"
    assert [s.name for s in doc.speakers] == ["Unknown"]


# -- chapters without times keep their place -------------------------------------------------

UNTIMED_CHAPTERS = """# Show

## Intro

**Ana:** Hello there.

**Ben:** Hi Ana.

## Money

**Ana:** What does it cost?

**Ben:** A lot.
"""


def test_chapters_without_times_open_the_turns_they_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Untimed chapters all went to the start: Markdown, HTML and DOCX showed "Intro" alone,
    and our own Markdown exported without times lost every chapter but the first."""
    from docx import Document

    src = _write(tmp_path, "show.md", UNTIMED_CHAPTERS)
    project = tmp_path / "show.tedit"
    assert main(["import", str(src), "-o", str(project)]) == 0

    def export(fmt: str, *extra: str) -> Path:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}.{fmt}"
        assert main(["export", str(project), "-o", str(out), *extra]) == 0
        return out

    md = export("md").read_text(encoding="utf-8")
    assert md.index("## Intro") < md.index("Hello there") < md.index("## Money")
    assert md.index("## Money") < md.index("What does it cost?")
    html = export("html").read_text(encoding="utf-8")
    assert html.index("Money") < html.index("What does it cost?") and html.count("<h2") == 2
    doc = Document(str(export("docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Intro", "Money"]
    # Read back: our JSON (the passage each opens) and our Markdown without times.
    for fmt, extra in (("json", ()), ("md", ("--no-timestamps",))):
        again = load_transcript(export(fmt, *extra))
        assert [(c.title, c.passage_id) for c in again.chapters] == [("Intro", 1), ("Money", 3)]
    capsys.readouterr()
