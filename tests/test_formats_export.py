"""Publishing exports: escaping per format, options, and round trips through our importers."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from editor.errors import TranscriptError
from editor.exporters import ExportOptions, export_text, export_transcript
from editor.importing import load_transcript
from editor.model import Chapter, Passage, Speaker, Transcript

HOSTILE = "Ignore all previous instructions. <script>alert(1)</script> *bold* # not a heading [link](x) \\ done."


def doc() -> Transcript:
    speakers = [Speaker("Speaker A", "Nell <Host>", id=0), Speaker("Speaker B", "<script>", id=1)]
    rows = [
        (0, 4.0, "Welcome back to the show."),
        (0, 9.0, "Today we talk about boats."),
        (1, 21.0, HOSTILE),
        (1, 30.0, "- a line that looks like a list item, and 1. a number."),
        (0, 62.0, "Let's take a break."),
    ]
    passages = [Passage(s, t, t, start=start, end=start + 5) for s, start, t in rows]
    passages[0].text = "Welcome back!"
    return Transcript(
        title="The Long Table *demo*",
        speakers=speakers,
        passages=passages,
        chapters=[Chapter("Intro", 0.0), Chapter("Boats & more", 60.0)],
    )


def test_html_escapes_everything_and_is_standalone() -> None:
    out = export_text(doc(), "html", ExportOptions())
    assert isinstance(out, str)
    assert "<script" not in out  # neither the speaker name nor the text becomes markup
    assert "&lt;script&gt;" in out and "Nell &lt;Host&gt;" in out
    assert '<meta charset="utf-8">' in out and "http" not in out  # no external resources
    assert "<h2>Boats &amp; more</h2>" in out and "00:00:04" in out
    assert "Welcome back!" in out and "Welcome back to the show." not in out


def test_html_says_no_wrong_language_and_lets_each_paragraph_find_its_direction() -> None:
    # Every page said lang="en", and Hebrew or Arabic paragraphs were laid out left to right.
    source = doc()
    source.passages[1].text = "שלום, מה שלומך?"
    out = str(export_text(source, "html", ExportOptions()))
    assert "<html>" in out and 'lang="en"' not in out
    assert '<p dir="auto">שלום, מה שלומך?</p>' in out
    source.metadata["language"] = "he"
    assert '<html lang="he">' in str(export_text(source, "html", ExportOptions()))
    source.metadata["language"] = '"><script>'
    assert "<html>" in str(export_text(source, "html", ExportOptions()))


def test_options_original_and_no_timestamps() -> None:
    out = export_text(doc(), "md", ExportOptions(timestamps=False, original=True))
    assert isinstance(out, str)
    assert "Welcome back to the show." in out and "00:00" not in out


def test_markdown_escapes_and_round_trips(tmp_path: Path) -> None:
    source = doc()
    out = export_text(source, "md", ExportOptions())
    assert isinstance(out, str)
    # Only what would change the meaning is escaped: "<" opens a tag, ">" inside a line does not.
    assert "\\<script>" in out and "\\*bold\\*" in out
    path = tmp_path / "t.md"
    path.write_text(out, encoding="utf-8")
    again = load_transcript(path)
    assert again.format == "markdown" and again.title == source.title
    assert [s.name for s in again.speakers] == [s.name for s in source.speakers]
    names = lambda d: [(d.speakers[p.speaker_id].name, p.text) for p in d.passages]  # noqa: E731
    assert names(again) == names(source)
    assert [(c.title, c.start) for c in again.chapters] == [("Intro", 4.0), ("Boats & more", 62.0)]


@pytest.mark.parametrize("timestamps", [True, False])
def test_txt_round_trips(tmp_path: Path, timestamps: bool) -> None:
    source = doc()
    # Plain text carries names as text: real names, including punctuation, read back.
    source.speakers[0].name, source.speakers[1].name = "Nell Hartigan", "Dr. Tomás O'Neil-Brandvold"
    out = export_text(source, "txt", ExportOptions(timestamps=timestamps))
    path = tmp_path / "t.txt"
    path.write_text(str(out), encoding="utf-8")
    again = load_transcript(path)
    names = lambda d: [(d.speakers[p.speaker_id].name, p.text) for p in d.passages]  # noqa: E731
    assert names(again) == names(source)


@pytest.mark.parametrize("name", ["Unknown", "Ann"])
def test_txt_of_one_speaker_without_times_reads_back_the_same(tmp_path: Path, name: str) -> None:
    # A plain text came back with "Unknown: " in its first passage, one more at every round
    # trip; one named speaker's name became the first words of the text.
    texts = ["Welcome to the show.", "Today we talk about subtitles."]
    source = Transcript(
        speakers=[Speaker("Unknown", name)], passages=[Passage(0, t, t) for t in texts]
    )
    current = source
    for round_trip in range(3):
        out = str(export_text(current, "txt", ExportOptions()))
        path = tmp_path / f"t{round_trip}.txt"
        path.write_text(out, encoding="utf-8")
        current = load_transcript(path)
        assert [p.text for p in current.passages] == texts
        assert [s.name for s in current.speakers] == [name]
    assert "Unknown" not in out  # nobody named: no label made up


@pytest.mark.parametrize("timestamps", [True, False])
def test_a_short_conversation_in_txt_keeps_its_speakers_and_passages(
    tmp_path: Path, timestamps: bool
) -> None:
    # Without times, only a turn's first paragraph was labelled: "Ann: …", a paragraph,
    # "Bob: …" read back as plain text, the names in the words. A blank line typed inside a
    # passage read back as another passage.
    typed = "First line.\n\nSecond paragraph typed with Enter."
    rows = [(0, typed, 1.0), (0, "More.", None), (1, "Hi.", 4.0)]
    source = Transcript(
        speakers=[Speaker("A", "Ann", id=0), Speaker("B", "Bob", id=1)],
        passages=[Passage(s, t, t, start=start) for s, t, start in rows],
    )
    path = tmp_path / "t.txt"
    path.write_text(str(export_text(source, "txt", ExportOptions(timestamps=timestamps))))
    again = load_transcript(path)
    assert [(again.speakers[p.speaker_id].name, p.text) for p in again.passages] == [
        ("Ann", "First line. Second paragraph typed with Enter."),
        ("Ann", "More."),
        ("Bob", "Hi."),
    ]


@pytest.mark.parametrize("timestamps", [True, False])
def test_a_line_inside_a_passage_that_looks_like_a_header_stays_in_it(
    tmp_path: Path, timestamps: bool
) -> None:
    # Pasted with its line breaks: "Bob 00:01:02" inside Ann's passage read back as Bob's
    # turn, "Note: …" as a speaker named Note, and "Score 12:99" (a header whose time is no
    # time) made the whole file refused.
    pasted = "Here is what he said.\nBob 00:01:02\nNote: keep this.\nScore 12:99\nEnd."
    rows = [(0, pasted, 1.0), (1, "Hi.", 4.0), (0, "Dana 00:00:09\nBye.", 9.0)]
    source = Transcript(
        speakers=[Speaker("A", "Ann", id=0), Speaker("B", "Cleo", id=1)],
        passages=[Passage(s, t, t, start=start) for s, t, start in rows],
    )
    path = tmp_path / "t.txt"
    path.write_text(str(export_text(source, "txt", ExportOptions(timestamps=timestamps))))
    again = load_transcript(path)
    assert [(again.speakers[p.speaker_id].name, p.text) for p in again.passages] == [
        ("Ann", "Here is what he said. Bob 00:01:02 Note: keep this. Score 12:99 End."),
        ("Cleo", "Hi."),
        ("Ann", "Dana 00:00:09 Bye."),
    ]


def test_txt_of_a_transcript_without_times_makes_none_up(tmp_path: Path) -> None:
    # "Alice 00:00:00" over every turn; read back, every passage started at 0.
    source = doc()
    for p in source.passages:
        p.start = p.end = None
    out = str(export_text(source, "txt", ExportOptions(timestamps=True)))
    assert "00:00:00" not in out and out.startswith("Nell <Host>: Welcome back!")
    path = tmp_path / "t.txt"
    path.write_text(out, encoding="utf-8")
    again = load_transcript(path)
    assert [p.start for p in again.passages] == [None] * len(again.passages)
    # One passage without a time among timed ones takes the time before it, never 0.
    timed = doc()
    timed.passages[2].start = None
    assert "<script> 00:00:09" in str(export_text(timed, "txt", ExportOptions()))


def test_docx_reads_back(tmp_path: Path) -> None:
    out = export_text(doc(), "docx", ExportOptions())
    assert isinstance(out, bytes)
    document = docx.Document(io.BytesIO(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "The Long Table *demo*"
    assert "Intro" in paragraphs and HOSTILE in paragraphs
    speaker = next(p for p in document.paragraphs if p.text.startswith("<script>"))
    assert speaker.runs[0].bold and "00:00:21" in speaker.text


def test_real_sample_round_trips_through_md_txt_json(tmp_path: Path, samples: Path) -> None:
    source = load_transcript(samples / "speaker-blocks-excerpt.txt")
    for fmt in ("md", "txt", "json"):
        path = tmp_path / f"x.{fmt}"
        export_transcript(source, fmt, path, ExportOptions())
        again = load_transcript(path)
        assert [s.name for s in again.speakers] == [s.name for s in source.speakers], fmt
        assert [(p.speaker_id, p.text) for p in again.passages] == [
            (p.speaker_id, p.text) for p in source.passages
        ], fmt


def test_export_is_atomic_and_checks_the_format(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("previous")
    with pytest.raises(TranscriptError, match="unknown export format"):
        export_transcript(doc(), "pdf", target, ExportOptions())
    assert target.read_text() == "previous"
    export_transcript(doc(), "md", target, ExportOptions())
    assert target.read_text(encoding="utf-8").startswith("# The Long Table")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]
    with pytest.raises(TranscriptError, match="no such folder"):
        export_transcript(doc(), "md", tmp_path / "missing" / "x.md", ExportOptions())
