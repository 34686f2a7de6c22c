"""Media in the project without Qt: attach, relink, bad media, word times, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from editor import media
from editor.commands import EditText, MergePassages, SetStart, SplitPassage
from editor.errors import TranscriptError
from editor.importing import load_transcript
from editor.store import Project
from editor.wordtimes import WordClock, align, load_words
from entry.cli import main
from tests.media_fixtures import SEGMENTS, whisperx_json, write_tones


@pytest.fixture
def project(tmp_path: Path) -> Project:
    doc = load_transcript(whisperx_json(tmp_path / "talk.json"))
    p = Project.create(tmp_path / "talk.tedit", doc)
    yield p
    p.close()


def test_whisperx_words_are_stored(project: Project) -> None:
    words = load_words(project)
    assert len(words) == sum(len(t.split()) for *_, t in SEGMENTS)
    assert (words[0].text, words[0].start) == ("Hello", 0.0)
    assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))


def test_whisper_without_words_stores_none(tmp_path: Path) -> None:
    doc = load_transcript(whisperx_json(tmp_path / "t.json", with_words=False))
    with Project.create(tmp_path / "t.tedit", doc) as p:
        assert load_words(p) == []
        clock = WordClock(p)
        words = clock.words(p.doc.passages[0])  # by characters between start and end
        assert words and not any(w.measured for w in words)
        assert words[0].start == 0.0 and words[-1].end == pytest.approx(2.4)


def test_attach_relative_and_info(project: Project, tmp_path: Path) -> None:
    wav = write_tones(tmp_path / "talk.wav", 8.0)
    status, warnings = media.attach(project, wav)
    assert warnings == []
    assert status.ref.path == "talk.wav"  # beside the project: stored relative
    assert status.present and status.ref.duration_s == pytest.approx(8.0)
    assert status.to_json() == {
        "path": "talk.wav",
        "present": True,
        "duration_s": pytest.approx(8.0),
        "has_video": False,
    }
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    far = write_tones(elsewhere / "far.wav", 8.0)
    status, _ = media.attach(project, far)
    assert status.ref.path == str(far.resolve())  # not near: absolute
    assert media.detach(project) and media.media_of(project) is None
    assert not media.detach(project)


def test_moved_media_is_found_beside_the_project_or_reported_and_relinked(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = tmp_path / "audio"
    sub.mkdir()
    wav = write_tones(sub / "talk.wav", 8.0)
    media.attach(project, wav)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(wav, elsewhere / "talk.wav")
    status = media.media_of(project)
    assert status is not None and not status.present
    assert (
        status.problem is not None and "talk.wav" in status.problem and "\n" not in status.problem
    )
    status, _ = media.relink(project, elsewhere / "talk.wav")
    assert status.present and status.ref.path == "elsewhere/talk.wav"
    # Moved beside the project (same name and size): found, by the command line too (the
    # window found it, `media` and `info` said "missing", exit 1).
    moved = tmp_path / "talk.wav"
    shutil.move(elsewhere / "talk.wav", moved)
    status = media.media_of(project)
    assert status is not None and status.present and status.file == moved.resolve()
    project.close()
    capsys.readouterr()
    assert main(["media", str(project.path)]) == 0
    # Said where it is now: they showed "elsewhere/talk.wav", where it no longer was.
    assert capsys.readouterr().out.startswith("talk.wav · audio · ")
    shown = json.loads(_info_json(capsys, project.path))["media"]
    assert shown["present"] is True and shown["path"] == "talk.wav"


def test_a_copy_or_a_move_of_the_project_keeps_its_recording(
    project: Project, tmp_path: Path
) -> None:
    # The recording was stored relative to the project only: a copy saved into a subfolder
    # (or the project moved elsewhere) lost it, and the message named the wrong folder.
    wav = write_tones(tmp_path / "talk.wav", 8.0)
    media.attach(project, wav)
    (tmp_path / "copies").mkdir()
    project.save_copy(tmp_path / "copies" / "copy.tedit")
    with Project.open(tmp_path / "copies" / "copy.tedit") as copy:
        status = media.media_of(copy)
        assert status is not None and status.present and status.file == wav.resolve()
    wav.rename(tmp_path / "gone.wav")
    with Project.open(tmp_path / "copies" / "copy.tedit") as copy:
        status = media.media_of(copy)
        assert status is not None and not status.present and status.problem is not None
        assert f"It was in {tmp_path.resolve()};" in status.problem


def test_a_wav_cut_short_is_as_long_as_its_sound(project: Project, tmp_path: Path) -> None:
    # Attached at its header's length (3:33 for 62 s of sound), and a header alone
    # attached as a recording that never played.
    wav = write_tones(tmp_path / "whole.wav", 8.0)
    data = wav.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: len(data) // 2])
    status, warnings = media.attach(project, cut)
    assert status.ref.duration_s == pytest.approx(4.0, abs=0.05)
    assert warnings and "cannot be played" in warnings[0]  # the transcript runs to 7.8 s
    header = tmp_path / "header.wav"
    header.write_bytes(data[:44])
    with pytest.raises(media.MediaError, match="damaged"):
        media.attach(project, header)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("talk.mp3", b"this is not audio at all\n" * 400, "damaged"),
        ("talk.wav", b"RIFF\x00\x00\x00\x00WAVEjunk", "damaged"),
        ("talk.xyz", b"\x00" * 100, "not a supported recording"),
        ("talk.webm", b"garbage" * 100, "damaged"),
        ("empty.ogg", b"", "empty"),
    ],
)
def test_bad_media_is_refused_with_one_line(
    project: Project, tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(media.MediaError) as info:
        media.attach(project, bad)
    assert says in str(info.value) and "\n" not in str(info.value)
    assert media.media_of(project) is None  # nothing half-attached


def test_missing_media_is_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(media.MediaError, match="no such file"):
        media.attach(project, tmp_path / "gone.wav")


def test_shorter_recording_warns(project: Project, tmp_path: Path) -> None:
    status, warnings = media.attach(project, write_tones(tmp_path / "short.wav", 2.0))
    assert status.present
    assert len(warnings) == 1 and "cannot be played" in warnings[0]


def test_damaged_media_entry_reads_as_none(project: Project) -> None:
    project.set_meta(media.META_KEY, "{not json")
    assert media.media_of(project) is None


def test_word_times_survive_edits(project: Project) -> None:
    clock = WordClock(project)
    first = project.doc.passages[0]
    before = {w.text: w for w in clock.words(first)}
    project.execute(EditText(first.id, "Hello there, and welcome to our show."))
    words = clock.words(project.passage(first.id))
    by_text = {w.text: w for w in words}
    for kept in ("Hello", "there,", "welcome", "to", "show."):
        assert by_text[kept].measured
        assert by_text[kept].start == before[kept].start
    assert not by_text["and"].measured and not by_text["our"].measured
    # New words sit between their neighbours.
    assert by_text["there,"].end <= by_text["and"].start <= by_text["welcome"].start
    assert by_text["to"].start <= by_text["our"].start <= by_text["show."].start


def test_word_times_survive_split_and_merge(project: Project) -> None:
    clock = WordClock(project)
    first = project.doc.passages[0]
    cmd = SplitPassage(first.id, first.text.index("welcome"))
    project.execute(cmd)
    second = project.passage(cmd.new_ids[0])
    words = clock.words(second)
    assert [w.text for w in words][:2] == ["welcome", "to"]
    assert words[0].measured
    project.execute(MergePassages(first.id))
    assert all(w.measured for w in clock.words(project.passage(first.id)))


def test_passage_and_word_at_a_time(project: Project) -> None:
    clock = WordClock(project)
    p2 = project.doc.passages[1]
    assert clock.passage_at(3.0) is p2
    assert clock.passage_at(6.0) is project.doc.passages[2]
    word = clock.word_at(p2, 2.8)
    assert word is not None and word.text == "Thanks"
    offset = p2.text.index("today")
    assert clock.time_at(p2, offset) == pytest.approx(2.6 + 5 * 0.4, abs=0.01)


def test_replaced_word_takes_the_replaced_span() -> None:
    from editor.model import Word

    measured = [Word("a", 0, 1), Word("Liabo", 1, 2), Word("b", 2, 3)]
    words = align("a Liabø b", measured, 0, 3)
    assert (words[1].start, words[1].end, words[1].measured) == (1, 2, False)


def test_set_start_is_undoable(project: Project) -> None:
    p2 = project.doc.passages[1]
    project.execute(SetStart(p2.id, 2.5))
    assert project.passage(p2.id).start == 2.5
    assert project.doc.passages[0].end == 2.4  # it ended before 2.5: untouched
    project.execute(SetStart(p2.id, 2.0))
    assert project.doc.passages[0].end == 2.0  # the one before ends where this starts
    project.undo()
    project.undo()
    assert project.passage(p2.id).start == 2.6 and project.doc.passages[0].end == 2.4
    with pytest.raises(TranscriptError, match="before the previous"):
        project.execute(SetStart(p2.id, 0.0))


def test_cli_import_with_media_info_and_detach(tmp_path: Path, capsys) -> None:
    src = whisperx_json(tmp_path / "talk.json")
    wav = write_tones(tmp_path / "talk.wav", 8.0)
    out = tmp_path / "p.tedit"
    assert main(["import", str(src), "-o", str(out), "--media", str(wav)]) == 0
    assert main(["info", str(out), "--json"]) == 0
    info = json.loads(_json_after_messages(capsys))
    assert info["media"]["path"] == "talk.wav" and info["media"]["present"] is True
    assert main(["media", str(out), "--detach"]) == 0
    assert main(["info", str(out), "--json"]) == 0
    assert json.loads(_json_after_messages(capsys))["media"] is None
    assert main(["media", str(out), str(wav)]) == 0
    assert "talk.wav" in capsys.readouterr().out


def test_cli_media_on_a_read_only_project_says_what_any_change_says(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "the recording cannot be detached" with exit 2: the README's read-only line is
    # "changes cannot be saved", exit 1, for anything that would change the project.
    src = whisperx_json(tmp_path / "talk.json")
    wav = write_tones(tmp_path / "talk.wav", 8.0)
    out = tmp_path / "p.tedit"
    assert main(["import", str(src), "-o", str(out), "--media", str(wav)]) == 0
    monkeypatch.setattr("editor.store.writable", lambda path: False)  # root ignores modes
    capsys.readouterr()
    for args in (["--detach"], [str(wav)]):
        assert main(["media", str(out), *args]) == 1
        err = capsys.readouterr().err
        assert err == f"error: {out} is read-only: changes cannot be saved\n"


def _json_after_messages(capsys) -> str:
    captured = capsys.readouterr().out  # the import's lines, then info's JSON
    return captured[captured.index("{") :]


def test_cli_bad_media_writes_no_project(tmp_path: Path, capsys) -> None:
    src = whisperx_json(tmp_path / "talk.json")
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"nope" * 100)
    out = tmp_path / "p.tedit"
    assert main(["import", str(src), "-o", str(out), "--media", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err
    assert not out.exists()


def test_cli_missing_media_is_one_line(tmp_path: Path, capsys) -> None:
    src = whisperx_json(tmp_path / "talk.json")
    wav = write_tones(tmp_path / "talk.wav", 8.0)
    out = tmp_path / "p.tedit"
    assert main(["import", str(src), "-o", str(out), "--media", str(wav)]) == 0
    wav.unlink()
    capsys.readouterr()
    assert main(["media", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "moved or deleted" in err
    assert main(["info", str(out), "--json"]) == 0  # the project still opens
    assert json.loads(capsys.readouterr().out)["media"]["present"] is False


def test_a_device_or_a_text_file_is_named_as_given(tmp_path: Path, capsys) -> None:
    """ "/dev/null" was "null: without an extension is not a supported recording"."""
    src = whisperx_json(tmp_path / "talk.json")
    out = tmp_path / "p.tedit"
    assert main(["import", str(src), "-o", str(out)]) == 0
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio")
    capsys.readouterr()
    for given, said in (("/dev/null", "/dev/null: not a file"), (str(notes), "a .txt file")):
        assert main(["media", str(out), given]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and said in err, err


def test_words_typed_at_a_passages_end_get_time_to_be_marked_in(project: Project) -> None:
    # The passage ends where its last word ends (or 50 ms after): words typed after it got
    # that nothing to share, so the player never marked them while they were said.
    clock = WordClock(project)
    first = project.doc.passages[0]
    project.execute(EditText(first.id, first.text + " Glad you came."))
    words = clock.words(project.passage(first.id))
    show, glad, you, came = words[-4:]
    assert [w.text for w in (show, glad, you, came)] == ["show.", "Glad", "you", "came."]
    assert show.measured and show.start == pytest.approx(5 * 0.4, abs=0.01)
    for w in (glad, you, came):
        assert not w.measured and w.end - w.start >= 0.05, w
    assert came.end <= 2.6  # not into the next passage's time
    assert clock.word_at(project.passage(first.id), (you.start + you.end) / 2) == you
    # Typed before the first word, the same: they share the time of the word after them.
    second = project.doc.passages[1]
    project.execute(EditText(second.id, "Well, " + second.text))
    well, thanks = clock.words(project.passage(second.id))[:2]
    assert well.end - well.start >= 0.05 and well.start >= 2.6
    assert thanks.end == pytest.approx(2.6 + 0.4 - 0.05, abs=0.01)  # its end as measured
    assert clock.word_at(project.passage(second.id), (well.start + well.end) / 2) == well


def _info_json(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    return capsys.readouterr().out
