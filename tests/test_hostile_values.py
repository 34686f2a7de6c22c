"""Values checked at the door (issue 10, point 6): times, control characters, one-line names,
colours, escaping in every exporter, one-line errors; each through import, rename, every
exporter and back."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from editor.errors import ImportFailed
from editor.exporters import REGISTRY as EXPORTERS
from editor.exporters import ExportOptions, export_text
from editor.importing import load_transcript
from editor.mdtext import escape, unescape
from editor.store import Project
from entry.cli import main
from tests.history_replay import replay

BIG = "9" * 400
NAMES_TO_REIMPORT = {"md": "markdown", "json": "json", "txt": None, "srt": "srt", "vtt": "vtt"}


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _hostile_json(tmp_path: Path) -> Path:
    # Control characters through JSON escapes, a newline and a tab in a name, a colour that
    # would load a remote image, markup, a lone surrogate and Markdown-looking text.
    data = {
        "app": "transcript-editor",
        "title": "Talk\nwith <b>tags</b>",
        "speakers": [
            {"label": "A", "name": "Alice\nEvil", "color": "red; background: url(http://x/y)"},
            {"label": "B", "name": "Bob\t*Star*", "color": "#00FF00"},
        ],
        "passages": [
            {"speaker": 0, "text": "a\u0000b\u0007c\u001bd\ud800 3.1 percent <script>x</script>"},
            {"speaker": 1, "text": "1. not a list & [laughs] *stars* SPEAKER_00", "start": 5},
            {"speaker": 0, "text": "-->\n\n00:00:01,000 --> 00:00:02,000", "start": 9},
        ],
    }
    return _write(tmp_path, "hostile.json", json.dumps(data))


# -- times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("inf.json", '{"segments": [{"text": "hi", "start": Infinity}]}'),
        ("nan.json", '{"segments": [{"text": "hi", "start": NaN}]}'),
        ("huge.json", '{"segments": [{"text": "hi", "start": 1e308}]}'),
        ("digits.json", '{"segments": [{"text": "hi", "start": 1' + BIG + "}]}"),
        (
            "native.json",
            '{"app": "transcript-editor", "speakers": [{"label": "A", "name": "A"}],'
            ' "passages": [{"speaker": 0, "text": "x", "start": Infinity}]}',
        ),
        ("ms.json", '{"utterances": [{"speaker": "A", "text": "hi", "start": 1e300}]}'),
        ("big.md", f"**Alice** [{BIG}:00:00]\n\nHello.\n"),
        ("big.srt", f"1\n{BIG}:00:00,000 --> {BIG}:00:01,000\nHi\n"),
        ("big.vtt", f"WEBVTT\n\n{BIG}:00:00.000 --> {BIG}:00:01.000\nHi\n"),
        ("far.srt", "1\n5000:00:00,000 --> 5000:00:01,000\nHi\n"),
        # 5,000 digits: "unexpected problem: Exceeds the limit (4300 digits)", exit 1.
        pytest.param("d.json", '{"segments": [{"start": ' + "9" * 5000 + "}]}", id="5000-digits"),
        pytest.param(
            "d_ms.json", '{"utterances": [{"start": ' + "9" * 5000 + "}]}", id="5000-digits-ms"
        ),
    ],
)
def test_absurd_times_are_refused_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str
) -> None:
    source = _write(tmp_path, name, content)
    out = tmp_path / "out.tedit"
    code, _, err = _cli(capsys, "import", str(source), "-o", str(out))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "out of range" in err or "not a valid time" in err or "number too long" in err
    assert "Error" not in err  # no exception class name (OverflowError, ValueError)
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*")) == []


def test_sane_long_times_still_import(tmp_path: Path) -> None:
    source = _write(tmp_path, "long.srt", "1\n999:59:59,000 --> 999:59:59,500\nHi\n")
    doc = load_transcript(source)
    assert doc.passages[0].start == pytest.approx(999 * 3600 + 59 * 60 + 59)


# -- text, names, colours: through import, rename, every exporter and back ---------------------


def test_json_escapes_cannot_smuggle_control_characters(tmp_path: Path) -> None:
    doc = load_transcript(_hostile_json(tmp_path))
    for p in doc.passages:
        assert not any(ord(c) < 32 and c not in "\t\n" for c in p.text), repr(p.text)
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in p.text)
    assert doc.passages[0].text.startswith("abcd 3.1 percent")
    assert [s.name for s in doc.speakers] == ["Alice Evil", "Bob *Star*"]
    assert doc.title == "Talk with <b>tags</b>"
    # Only #rrggbb survives; the CSS injection is dropped.
    assert [s.color for s in doc.speakers] == [None, "#00ff00"]


def test_markdown_names_are_one_line(tmp_path: Path) -> None:
    md = _write(tmp_path, "x.md", "**Alice\nEvil** [00:00:01]\n\nHello there.\n")
    doc = load_transcript(md, format="markdown")
    assert [s.name for s in doc.speakers] == ["Alice Evil"]


def test_rename_with_a_newline_gives_a_one_line_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.tedit"
    assert main(["import", str(_hostile_json(tmp_path)), "-o", str(project)]) == 0
    code, _, err = _cli(capsys, "speakers", str(project), "--rename", "Alice Evil=Mallory\nX\r\n")
    assert code == 0, err
    with Project.open(project) as p:
        assert p.doc.speakers[0].name == "Mallory X"
    code, _, err = _cli(capsys, "speakers", str(project), "--rename", "Mallory X=\x00\n")
    assert code == 2 and err.count("\n") == 1
    replay(project)  # the history replays after the hostile rename


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_exporter_escapes_and_reads_back(tmp_path: Path, fmt: str) -> None:
    project = tmp_path / "p.tedit"
    assert main(["import", str(_hostile_json(tmp_path)), "-o", str(project)]) == 0
    assert main(["speakers", str(project), "--rename", "Bob *Star*=Bob\nLine"]) == 0
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(project), "-f", fmt, "-o", str(out)]) == 0
    data = out.read_bytes()
    if fmt == "docx":
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        assert "<script>" not in xml and "Alice Evil" in xml
        return
    text = data.decode("utf-8")
    assert "\x00" not in text and "\x07" not in text and "\x1b" not in text
    if fmt == "html":
        assert "<script>" not in text and "&lt;script&gt;" in text
        assert "url(" not in text and "http://x" not in text
        assert 'style="color: #00ff00"' in text
        return
    if fmt == "md":
        assert "3.1 percent" in text and "\\3.1" not in text
        assert "1\\. not a list" in text and "[laughs]" in text
    with Project.open(project) as p:
        names = [s.name for s in p.doc.speakers]
    assert names == ["Alice Evil", "Bob Line"]
    # Every name stays on the line it was written on (a speaker header / a cue's voice).
    for name in names:
        assert any(name in line for line in text.splitlines()), (name, text)
    back = load_transcript(out, format=NAMES_TO_REIMPORT[fmt])
    back_names = {s.name for s in back.speakers}
    assert {"Alice Evil", "Bob Line"} <= back_names | {"Unknown"} or fmt in ("srt", "vtt")
    if fmt in ("md", "json"):
        assert [s.name for s in back.speakers] == names
        with Project.open(project) as p:
            # Markdown has no line break inside a paragraph: newlines read back as spaces.
            def flat(texts: list[str]) -> list[str]:
                return [" ".join(t.split()) for t in texts]

            assert flat([b.text for b in back.passages]) == flat([q.text for q in p.doc.passages])


def test_html_never_writes_a_stored_colour_raw(tmp_path: Path) -> None:
    # A colour written into an older project directly, bypassing every door.
    project = tmp_path / "p.tedit"
    assert main(["import", str(_hostile_json(tmp_path)), "-o", str(project)]) == 0
    with Project.open(project) as p:
        p.conn.execute("UPDATE speakers SET color = ?, name = ?", ('red" onload="x', "A\nB"))
    with Project.open(project) as p:
        html = export_text(p.doc, "html", ExportOptions())
        md = export_text(p.doc, "md", ExportOptions())
    assert "onload" not in html and 'red"' not in html
    assert "**A B**" in md


def test_docx_survives_control_characters_in_an_edit(tmp_path: Path) -> None:
    project = tmp_path / "p.tedit"
    assert main(["import", str(_hostile_json(tmp_path)), "-o", str(project)]) == 0
    with Project.open(project) as p:
        p.conn.execute("UPDATE passages SET text = ?", ("bell\x07 and\x0c feed",))
    with Project.open(project) as p:
        data = export_text(p.doc, "docx", ExportOptions())
    assert b"bell" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_docx_has_real_core_properties(tmp_path: Path) -> None:
    import datetime as dt

    project = tmp_path / "p.tedit"
    assert main(["import", str(_hostile_json(tmp_path)), "-o", str(project)]) == 0
    with Project.open(project) as p:
        data = export_text(p.doc, "docx", ExportOptions())
    from docx import Document

    props = Document(io.BytesIO(data)).core_properties
    assert props.title == "Talk with <b>tags</b>"
    assert props.author in ("", "Transcript Editor")
    assert "python-docx" not in (props.comments or "") + (props.author or "")
    assert "python-docx" not in (props.last_modified_by or "")
    now = dt.datetime.now(dt.UTC)
    assert props.created is not None and abs((props.created - now).total_seconds()) < 120
    assert props.modified is not None and abs((props.modified - now).total_seconds()) < 120


# -- Markdown escapes only what would change the meaning ------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("3.1 percent", "3.1 percent"),
        ("2024. A year", "2024\\. A year"),
        ("1) first", "1\\) first"),
        ("[laughs] yes", "[laughs] yes"),
        ("see [this](http://x)", "see [this\\](http://x)"),
        ("SPEAKER_00 said", "SPEAKER_00 said"),
        ("_under_ and *star*", "\\_under\\_ and \\*star\\*"),
        ("a - b + c = d", "a - b + c = d"),
        ("- item", "\\- item"),
        ("# heading", "\\# heading"),
        ("#hashtag", "#hashtag"),
        ("> quote", "\\> quote"),
        ("<b>bold</b> <3", "\\<b>bold\\</b> <3"),
        ("AT&T &amp; co", "AT&T \\&amp; co"),
        ("back\\slash \\*", "back\\slash \\\\\\*"),
        ("`code`", "\\`code\\`"),
    ],
)
def test_markdown_escapes_only_where_meaning_would_change(text: str, escaped: str) -> None:
    assert escape(text) == escaped
    assert unescape(escape(text)) == text


def test_podcast_index_sample_keeps_decimals(samples: Path, tmp_path: Path) -> None:
    source = samples / "podcast-index-excerpt.txt"
    if not source.exists():
        pytest.skip("podcast-index-excerpt.txt is not in ../shared/samples")
    doc = load_transcript(source)
    md = export_text(doc, "md", ExportOptions())
    assert not any(line.startswith("\\") and line[1:2].isdigit() for line in md.splitlines())


# -- every error is one line, exit 2 for bad input ------------------------------------------


def test_latin1_file_name_imports_and_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(b"Alice 00:00:01\n\nHello there.\n")
    name = os.fsdecode(raw)
    out = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.tedit")
    code, stdout, err = _cli(capsys, "import", name, "-o", out)
    assert code == 0, err
    assert stdout.count("\n") == 1
    code, stdout, err = _cli(capsys, "info", out, "--json")
    assert code == 0, err
    assert json.loads(stdout)["title"] == "caf\ufffd"


def test_lone_surrogate_argument_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.tedit"
    assert main(["import", str(_hostile_json(tmp_path)), "-o", str(project)]) == 0
    code, _, err = _cli(capsys, "replace", str(project), "percent", "\udcff")
    assert code in (0, 2)
    assert "UnicodeEncodeError" not in err and err.count("\n") <= 1
    # The byte was taken out of the name without a word ("Na\xffme" became "Name").
    for option in ("--rename", "--merge"):
        code, _, err = _cli(capsys, "speakers", str(project), option, "Bob Star=Na\udcffme")
        assert code == 2 and err.count("\n") == 1 and "not valid text" in err
    with Project.open(project) as p:
        assert [s.name for s in p.doc.speakers] == ["Alice Evil", "Bob *Star*"]


def test_control_characters_in_a_replacement_stay_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # ESC and BEL went into every passage and raw into SRT and VTT; the history printed the
    # escape sequence, and a line break split its entry over two lines.
    import sqlite3

    source = _write(tmp_path, "d.txt", "Ann: The boat is here.\n\nBob: The sea is calm.\n")
    project = tmp_path / "c.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    assert _cli(capsys, "replace", str(project), "The", "a\x1b[31mb\x07\nc")[0] == 0
    with Project.open(project) as p:
        assert [q.text for q in p.doc.passages] == [
            "a[31mb\nc boat is here.",
            "a[31mb\nc sea is calm.",
        ]
    conn = sqlite3.connect(project)  # and one by hand, past the door
    conn.execute(
        "UPDATE passages SET text = ? WHERE seq = (SELECT max(seq) FROM passages)",
        ("The sea\x00 is\x1b calm.",),
    )
    conn.commit()
    conn.close()
    for fmt in ("srt", "vtt"):
        code, out, err = _cli(capsys, "export", str(project), "-f", fmt, "-o", "-")
        assert code == 0, err
        assert not any(c in out for c in "\x00\x1b\x07"), fmt
    code, out, _ = _cli(capsys, "history", str(project))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert len(out.splitlines()) == 1 and 'with "a[31mb c"' in out


def test_a_speaker_index_of_true_is_refused(tmp_path: Path) -> None:
    # JSON's true read as speaker 1: the passage went to the wrong speaker, exit 0.
    data = {
        "app": "transcript-editor",
        "speakers": [{"label": "A", "name": "Ann"}, {"label": "B", "name": "Bob"}],
        "passages": [{"speaker": True, "text": "Hello."}],
    }
    with pytest.raises(ImportFailed, match="wrong type"):
        load_transcript(_write(tmp_path, "true.json", json.dumps(data)))


def test_missing_folder_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, "a.txt", "Alice 00:00:01\n\nHello.\n")
    code, _, err = _cli(capsys, "import", str(source), "-o", str(tmp_path / "no" / "p.tedit"))
    assert code == 2
    assert err == f"error: {tmp_path / 'no'}: no such folder\n"
    assert "unable to open database file" not in err


def _damaged(tmp_path: Path) -> list[Path]:
    project = tmp_path / "good.tedit"
    assert main(["import", str(_write(tmp_path, "a.txt", "Alice 00:00:01\n\nHi.\n")),
                 "-o", str(project)]) == 0  # fmt: skip
    data = project.read_bytes()
    cases = {
        "truncated.tedit": data[: len(data) // 3],
        "header-only.tedit": data[:16],
        "random.tedit": data[:100] + os.urandom(len(data) - 100),
        "wrong-header.tedit": b"SQLite format 2\x00" + data[16:],
        "zeros.tedit": data[:16] + bytes(len(data) - 16),
        "garbage.tedit": os.urandom(4096),
        "empty.tedit": b"",
    }
    paths = []
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    return paths


@pytest.mark.parametrize("command", ["info", "history", "export", "undo"])
def test_damaged_projects_print_exactly_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    for path in _damaged(tmp_path):
        args = [command, str(path)]
        if command == "export":
            args += ["-f", "md", "-o", str(tmp_path / "out.md")]
        code, _, err = _cli(capsys, *args)
        assert code in (1, 2), (path.name, err)
        assert err.count("\n") == 1 and err.startswith("error: "), (path.name, err)
        assert "\\x" not in err and "Error:" not in err, (path.name, err)


# -- a project file edited by hand or by another program ---------------------------------


def _edited_by_hand(tmp_path: Path) -> Path:
    """A project whose file was then changed outside the app: a time that is text, an
    infinite end, word times far out of range and negative, a name with control characters
    and a line break, metadata that is not JSON."""
    import sqlite3

    source = _write(
        tmp_path,
        "w.json",
        json.dumps(
            {
                "segments": [
                    {
                        "start": 1.0,
                        "end": 2.0,
                        "text": " Hello there.",
                        "speaker": "A",
                        "words": [{"word": "Hello", "start": 1.0, "end": 1.4}],
                    },
                    {
                        "start": 3.0,
                        "end": 4.0,
                        "text": " Second one.",
                        "speaker": "B",
                        "words": [{"word": "Second", "start": 3.0, "end": 3.4}],
                    },
                    {"start": 5.0, "end": 6.0, "text": " Third one.", "speaker": "A"},
                ]
            }
        ),
    )
    project = tmp_path / "p.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    conn = sqlite3.connect(project)
    conn.execute("UPDATE passages SET start = 'abc' WHERE seq = (SELECT min(seq) FROM passages)")
    conn.execute('UPDATE passages SET "end" = 9e999 WHERE start = 3.0')
    conn.execute("UPDATE word_times SET start = 1e300 WHERE word = 'Hello'")
    conn.execute("UPDATE word_times SET start = -5, \"end\" = -6 WHERE word = 'Second'")
    conn.execute("UPDATE speakers SET name = ? WHERE label = 'A'", ("Ne\x00ll\x1b\nHart",))
    conn.execute("UPDATE meta SET value = '{not json' WHERE key = 'metadata'")
    conn.commit()
    conn.close()
    return project


def test_a_project_edited_by_hand_opens_and_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 'abc' made info and export fail ("unexpected problem", exit 1) and the window crash;
    # an infinite end was printed as Infinity, which is not JSON; word times of 1e300 went
    # into the subtitles and into a JSON export that our own import refused.
    project = _edited_by_hand(tmp_path)
    capsys.readouterr()
    code, out, _ = _cli(capsys, "info", str(project), "--json")
    assert code == 0 and "Infinity" not in out and json.loads(out)["speakers"][0] == "Nell Hart"
    with Project.open(project) as p:
        assert [(q.start, q.end) for q in p.doc.passages] == [(None, 2.0), (3.0, None), (5.0, 6.0)]
    for fmt in ("srt", "json"):
        out_file = tmp_path / f"out.{fmt}"
        assert _cli(capsys, "export", str(project), "-o", str(out_file))[0] == 0
        assert "\x00" not in out_file.read_text("utf-8") and "e+300" not in out_file.read_text(
            "utf-8"
        )
    again = load_transcript(tmp_path / "out.json")  # it refused the file before
    assert again.words == [] and [s.name for s in again.speakers] == ["Nell Hart", "B"]


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_a_passage_whose_speaker_row_is_gone_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    # JSON said "unexpected problem: 999" (exit 1) where the others said "Unknown".
    import sqlite3

    project = _history_edited_by_hand(tmp_path)
    conn = sqlite3.connect(project)
    conn.execute("UPDATE passages SET speaker_id = 999 WHERE id = (SELECT max(id) FROM passages)")
    conn.commit()
    conn.close()
    out_file = tmp_path / f"out.{EXPORTERS[fmt].extension.lstrip('.')}"
    code, _, err = _cli(capsys, "export", str(project), "-f", fmt, "-o", str(out_file))
    assert code == 0, err
    if fmt == "json":
        again = load_transcript(out_file)
        names = {sp.id: sp.name for sp in again.speakers}
        assert [names[q.speaker_id] for q in again.passages] == ["Ann", "Unknown"]


def _window_on(qtbot, project: Path, tmp_path: Path, monkeypatch):  # -> MainWindow
    from widgets import theme
    from widgets.main_window import MainWindow

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    win = MainWindow(theme.LIGHT, interactive=False)
    qtbot.addWidget(win)
    win.show()
    assert win.open_file(str(project))
    return win


def test_the_window_opens_a_project_edited_by_hand(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtCore import Qt

    win = _window_on(qtbot, _edited_by_hand(tmp_path), tmp_path, monkeypatch)
    for row in range(win.model.rowCount()):  # the status line shows each one's time
        win.view.setCurrentIndex(win.model.index(row))
        qtbot.keyClick(win.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: win.view.painted)
    assert "Passage 3 of 3" in win.status_position.text()


def _history_edited_by_hand(tmp_path: Path) -> Path:
    """A project with two replace-alls whose history and meta were then edited by hand:
    ids that are not JSON, details that are not JSON, times that are text or absurd."""
    import sqlite3

    source = _write(tmp_path, "d.txt", "Ann: The boat is here.\n\nBob: The sea is calm.\n")
    project = tmp_path / "h.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    assert main(["replace", str(project), "The", "A"]) == 0
    assert main(["replace", str(project), "is", "was"]) == 0
    conn = sqlite3.connect(project)
    conn.execute("UPDATE meta SET value = 'garbage' WHERE key = 'max_ids'")
    conn.execute("UPDATE history SET passage_ids = 'not json', time = 'abc' WHERE id = 1")
    conn.execute("UPDATE history SET extra = 'not json', time = 1e308 WHERE id = 2")
    conn.commit()
    conn.close()
    return project


@pytest.mark.parametrize(
    "args",
    [
        ("info", "--json"),
        ("history",),
        ("history", "--json"),
        ("speakers",),
        ("export", "-f", "md", "-o", "-"),
        ("replace", "calm", "still"),
        ("undo",),
    ],
)
def test_history_values_edited_by_hand_are_read_leniently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """Each was "unexpected problem: Expecting value: line 1 column 1" (exit 1)."""
    project = _history_edited_by_hand(tmp_path)
    capsys.readouterr()
    command, *rest = args
    code, out, err = _cli(capsys, command, str(project), *rest)
    assert code == 0, err
    assert "unexpected" not in err


@pytest.mark.parametrize(
    "changes",
    # '{"a": 1}' was "unexpected problem: string index out of range" (exit 1).
    ["not json at all", '{"a": 1}', "[1, 2]", '[["passages", "x", "~", {}]]', '"text"'],
)
def test_changes_that_are_not_ours_stop_undo_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: str
) -> None:
    import sqlite3

    project = _history_edited_by_hand(tmp_path)
    conn = sqlite3.connect(project)
    conn.execute("UPDATE history SET changes = ? WHERE id = 2", (changes,))
    conn.commit()
    conn.close()
    capsys.readouterr()
    code, _, err = _cli(capsys, "undo", str(project))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: history is out of step with the project at entry 2")
    assert _cli(capsys, "history", str(project))[0] == 0  # the list still reads


def _not_utf8(project: Path, table: str, column: str) -> None:
    """One value of ``column`` made text that is not UTF-8 (another program, or a hand edit):
    'hello', a lone surrogate's bytes, 'world'."""
    import sqlite3

    conn = sqlite3.connect(project)
    conn.execute(
        f"UPDATE {table} SET {column} = CAST(x'68656c6c6feda080776f726c64' AS TEXT)"
        f" WHERE rowid = (SELECT min(rowid) FROM {table})"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "where",
    [
        ("passages", "text"),
        ("passages", "original"),
        ("speakers", "name"),
        ("history", "description"),
    ],
)
def test_a_value_that_is_not_utf8_is_read_with_replacement_characters(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch, where
) -> None:
    # One such value made info, export, history, undo and the window all fail:
    # "database error (Could not decode to UTF-8 column 'text' ...)", exit 1.
    project = _history_edited_by_hand(tmp_path)
    _not_utf8(project, *where)
    capsys.readouterr()
    shown_by = {"passages": "export", "speakers": "export", "history": "history"}
    for args in (("info", "--json"), ("history",), ("export", "-f", "txt", "-o", "-")):
        code, out, err = _cli(capsys, args[0], str(project), *args[1:])
        assert code == 0 and err == "", (args, err)
        if args[0] == shown_by[where[0]] and where[1] != "original":
            assert "hello\ufffd" in out and "world" in out, args
    win = _window_on(qtbot, project, tmp_path, monkeypatch)
    assert win.project is not None and win.model.rowCount() == 2
    win.close()
    code, _, err = _cli(capsys, "undo", str(project))
    if where == ("passages", "text"):  # the hand edit took away what the undo would undo
        assert (
            code == 2 and err.startswith("error: history is out of step") and err.count("\n") == 1
        )
    else:
        assert code == 0, err


def test_the_window_shows_a_history_edited_by_hand(qtbot, tmp_path: Path, monkeypatch) -> None:
    """The history panel raised (a time that was text) and the window did not open."""
    win = _window_on(qtbot, _history_edited_by_hand(tmp_path), tmp_path, monkeypatch)
    win.view.setCurrentIndex(win.model.index(0))
    panel = win.history_panel
    qtbot.waitUntil(lambda: panel.version_list.count() >= 2)
    texts = [panel.version_list.item(i).text() for i in range(panel.version_list.count())]
    assert texts[0].startswith("imported")


@pytest.mark.parametrize("edit", ["huge max_ids", "text speaker id"])
def test_ids_edited_by_hand_leave_the_project_usable(tmp_path: Path, capsys, edit: str) -> None:  # type: ignore[no-untyped-def]
    # "unexpected problem: Python int too large to convert to SQLite INTEGER" at the first
    # new row; a speakers table remade with a text id made every command, info included,
    # fail ("'>' not supported between 'int' and 'str'").
    import sqlite3

    text = "Ann: So, um, the boat is here.\n\nBob: Um, the sea is, like, calm.\n"
    source = _write(tmp_path, "d.txt", text)
    project = tmp_path / "h.tedit"
    assert main(["import", str(source), "-o", str(project)]) == 0
    conn = sqlite3.connect(project)
    if edit == "huge max_ids":
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'max_ids'", (json.dumps([2**63 - 1] * 4),)
        )
    else:
        conn.executescript(
            "ALTER TABLE speakers RENAME TO s0; CREATE TABLE speakers (id, seq, label, name, "
            "color); INSERT INTO speakers SELECT * FROM s0; DROP TABLE s0; "
            "UPDATE speakers SET id = 'z' WHERE id = (SELECT max(id) FROM speakers)"
        )
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["info", str(project)]) == 0
    assert main(["assist", str(project), "--model", "offline"]) == 0
    err = capsys.readouterr().err
    assert "unexpected problem" not in err
