"""The command line contract: subcommands, --json fields, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from editor.store import Project
from entry.cli import main
from tests.conftest import ROOT

SAMPLE = "speaker-blocks-excerpt.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "entry.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path, samples: Path) -> Path:
    out = tmp_path / "p.tedit"
    assert main(["import", str(samples / SAMPLE), "-o", str(out)]) == 0
    return out


def info(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_and_info_json_fields(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = info(project, capsys)
    for key in (
        "title",
        "format",
        "passages",
        "speakers",
        "words",
        "original_words",
        "duration_s",
        "chapters",
        "history_entries",
    ):
        assert key in data
    assert data["format"] == "speaker-blocks"
    assert data["speakers"] == ["Dwarkesh Patel", "Andrej Karpathy"]
    assert data["words"] == data["original_words"] > 4000
    assert data["history_entries"] == 0
    assert data["duration_s"] is not None and data["duration_s"] > 1000


def test_youtube_info_has_chapters_and_duration(
    tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "yt.tedit"
    assert main(["import", str(samples / "youtube-karpathy.txt"), "-o", str(out)]) == 0
    data = info(out, capsys)
    assert data["format"] == "youtube"
    assert data["speakers"] == ["Unknown"]
    assert len(data["chapters"]) == 9
    assert data["chapters"][0]["title"] == "AGI is still a decade away"
    assert data["duration_s"] > 8000


def test_rename_replace_history_undo_redo(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["speakers", str(project), "--rename", "Dwarkesh Patel=Dwarkesh"]) == 0
    out = capsys.readouterr().out
    assert "Dwarkesh " in out and "passages" in out
    assert main(["replace", str(project), "decade", "DECADE", "--whole-word"]) == 0
    count = int(capsys.readouterr().out.split()[0])
    assert count > 0
    assert info(project, capsys)["speakers"][0] == "Dwarkesh"

    assert main(["history", str(project), "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [h["source"] for h in history] == ["speaker_rename", "find_replace"]
    assert {"id", "time", "kind", "command", "description", "source", "passages"} <= set(history[0])

    assert main(["undo", str(project)]) == 0
    assert main(["undo", str(project)]) == 0
    assert info(project, capsys)["speakers"][0] == "Dwarkesh Patel"
    assert main(["redo", str(project)]) == 0
    assert info(project, capsys)["speakers"][0] == "Dwarkesh"
    assert info(project, capsys)["history_entries"] == 5


@pytest.mark.parametrize("fmt", ["md", "txt", "docx", "html", "srt", "vtt", "json"])
def test_export_every_format(project: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(project), "-f", fmt, "-o", str(out), "--no-timestamps"]) == 0
    assert out.stat().st_size > 1000


def test_export_json_round_trips_through_import(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replace", str(project), "Andrej", "ANDREJ", "--case-sensitive"]) == 0
    out = tmp_path / "out.json"
    assert main(["export", str(project), "-f", "json", "-o", str(out)]) == 0
    again = tmp_path / "again.tedit"
    assert main(["import", str(out), "-o", str(again)]) == 0
    a, b = info(project, capsys), info(again, capsys)
    for key in ("passages", "speakers", "words", "original_words", "duration_s"):
        assert a[key] == b[key]


def test_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("import", str(empty), "-o", str(tmp_path / "e.tedit"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "empty" in result.stderr
    assert not (tmp_path / "e.tedit").exists()

    result = run("frobnicate")
    assert result.returncode == 2 and result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1

    not_project = tmp_path / "x.tedit"
    not_project.write_text("hello")
    result = run("info", str(not_project), "--json")
    # A text file is summarised as a transcript; a fake SQLite file is refused.
    assert result.returncode == 0
    fake = tmp_path / "fake.tedit"
    fake.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = run("history", str(fake))
    assert result.returncode == 2 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "0.0", "-1", "nan", "3601"])
def test_a_timeout_out_of_range_says_the_range_it_takes(project: Path, value: str) -> None:
    # "--timeout must be between 0 and 3600 seconds" refused 0, which that range holds.
    result = run("assist", str(project), "--model", "offline", "--timeout", value)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr == "error: --timeout must be more than 0 and at most 3600 seconds\n"


def test_bad_regex_and_unknown_format_exit_2(project: Path, tmp_path: Path) -> None:
    result = run("replace", str(project), "(unclosed", "x", "--regex")
    assert result.returncode == 2 and "regular expression" in result.stderr
    for pattern in ("a{99999999999}", "(" * 2000 + ")" * 2000):  # too large, too deep
        result = run("replace", str(project), pattern, "x", "--regex")
        assert result.returncode == 2 and "regular expression" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    result = run("export", str(project), "-f", "pdf", "-o", str(tmp_path / "o.pdf"))
    assert result.returncode == 2 and "md" in result.stderr
    assert not (tmp_path / "o.pdf").exists()


def test_export_takes_the_format_from_the_output_name(tmp_path: Path) -> None:
    # -f may be left out where OUT's extension names a format (any case, .markdown too).
    project = tmp_path / "demo.tedit"
    assert (
        main(["import", str(ROOT / "resources" / "demo_transcript.txt"), "-o", str(project)]) == 0
    )
    for name, start in (
        ("talk.srt", b"1\n00:00:04,000 --> "),
        ("talk.vtt", b"WEBVTT"),
        ("talk.MD", b"# "),
        ("talk.markdown", b"# "),
        ("talk.docx", b"PK"),
        ("talk.json", b"{"),
    ):
        assert main(["export", str(project), "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_bytes().startswith(start), name
    # Named by neither: one line, exit 2, nothing written (standard output included).
    for out in (str(tmp_path / "talk.pdf"), "-"):
        result = run("export", str(project), "-o", out)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith("error: say the format with -f (md, txt, docx")
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "talk.pdf").exists()


def test_import_without_o_makes_the_project_beside_the_input(tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    source.write_bytes((ROOT / "resources" / "demo_transcript.txt").read_bytes())
    result = run("import", str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"into {tmp_path / 'talk.tedit'}")
    made = (tmp_path / "talk.tedit").read_bytes()
    # Again: refused in one line, the project as it was.
    result = run("import", str(source))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "already exists" in result.stderr and "-o" in result.stderr
    assert (tmp_path / "talk.tedit").read_bytes() == made
    # An input with no name to take ("/", ".", ""): one line, exit 2 (it was a crash).
    for bad in ("/", ".", ""):
        result = run("import", bad)
        assert result.returncode == 2 and result.stderr.startswith("error: "), bad
        assert result.stderr.count("\n") == 1 and "folder" in result.stderr


def test_import_refuses_existing_output(project: Path, samples: Path) -> None:
    result = run("import", str(samples / SAMPLE), "-o", str(project))
    assert result.returncode == 2 and "exists" in result.stderr


def test_the_assist_summary_adds_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "asked 19 ... suggested 13, unchanged 7": the speakers question counted each name it
    # found as a suggestion and, finding none, one unchanged passage.
    import re

    from editor.store import Project

    out = tmp_path / "demo.tedit"
    assert main(["import", str(ROOT / "resources" / "demo_transcript.txt"), "-o", str(out)]) == 0
    for run in ("asked", "cached"):  # the second run finds every reply in the cache
        capsys.readouterr()
        assert (
            main(["assist", str(out), "--model", "offline", "--kinds", "speakers,readability"]) == 0
        )
        line = capsys.readouterr().out.splitlines()[0]
        n = {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", line)}
        assert n["asked"] + n["cached"] == n["suggested"] + n["unchanged"] + n["failed"], line
        assert n[run] > 0 and n["suggested"] > 0, line
        with Project.open(out) as project:  # pending ones are skipped: ask them all again
            project.conn.execute("DELETE FROM suggestions")


def test_an_episode_asked_of_a_file_without_episodes_is_an_error(tmp_path: Path) -> None:
    # It was ignored: the whole file came in as though no episode had been named.
    source = tmp_path / "a.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n", "utf-8")
    result = run("import", str(source), "--episode", "Nope", "-o", str(tmp_path / "a.tedit"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "holds no episodes" in result.stderr and not (tmp_path / "a.tedit").exists()


def test_renaming_to_another_speakers_name_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "d.txt"
    source.write_text("Alice: hi.\nBob: yo.\nAlice: so?\nBob: no.\n", "utf-8")
    out = tmp_path / "d.tedit"
    assert run("import", str(source), "-o", str(out)).returncode == 0
    result = run("speakers", str(out), "--rename", "Alice=BOB")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert 'already called "BOB"' in result.stderr and "merge" in result.stderr
    listed = run("info", str(out), "--json")
    assert sorted(json.loads(listed.stdout)["speakers"]) == ["Alice", "Bob"]  # unchanged


def test_imports_racing_to_one_new_name_let_exactly_one_make_it(tmp_path: Path) -> None:
    # Each checked that the name was free, then renamed its file onto it: two to four of six
    # said they had made the project, and the file left was whichever renamed last.
    sources = []
    for i in range(6):
        source = tmp_path / f"talk{i}.txt"
        lines = [f"Ann: take {i}, the first.", "Bob: yes.", "Ann: and?", "Bob: no."]
        source.write_text("\n".join(lines) + "\n", "utf-8")
        sources.append(source)
    out = tmp_path / "race.tedit"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "entry.cli", "import", str(s), "-o", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in sources
    ]
    results = [(r.wait(timeout=120), *r.communicate()) for r in runs]
    made = [i for i, (code, _, _) in enumerate(results) if code == 0]
    assert len(made) == 1
    for code, _, err in (r for i, r in enumerate(results) if i not in made):
        assert code == 2 and "already exists" in err and len(err.strip().splitlines()) == 1
    from editor.store import Project

    with Project.open(out) as project:  # the one that said so
        assert project.doc.passages[0].text == f"take {made[0]}, the first."
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_info_on_a_podcast_index_file_lists_episodes(
    samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(samples / "podcast-index-excerpt.txt"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["episodes"][0]["title"] == "Andrej Karpathy — AGI is still a decade away"
    assert data["speakers"] == ["Dwarkesh Patel"]


def test_undo_with_nothing_to_undo(project: Path) -> None:
    result = run("undo", str(project))
    assert result.returncode == 2 and "nothing to undo" in result.stderr


@pytest.fixture
def small(tmp_path: Path) -> Path:
    src = tmp_path / "d.txt"
    src.write_text("Ann: The boat is here.\n\nBob: The sea is calm.\n", encoding="utf-8")
    out = tmp_path / "s.tedit"
    assert main(["import", str(src), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("history", "{p}", "--limit", "-1"), "0 or more"),
        (("assist", "{p}", "--kinds", ""), "--kinds"),  # asked nothing, exit 0
        (("assist", "{p}", "--passages", ""), "passage range"),  # asked for all
        (("assist", "{p}", "--model", ""), "--model"),  # the default model
        (("speakers", "{p}", "--rename", "Ann=" + "x" * 100_000), "at most 100 characters"),
        (("open", "{p}", "--size", "99999999x99999999", "--screenshot", "x.png"), "--size"),
    ],
)
def test_hostile_option_values_are_one_line_with_exit_2(
    small: Path, args: tuple[str, ...], said: str
) -> None:
    result = run(*(a.replace("{p}", str(small)) for a in args))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert said in result.stderr and len(result.stderr) < 300


def test_a_huge_limit_means_all_and_undo_names_the_change_once(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replace", str(small), "boat", "ship"]) == 0
    capsys.readouterr()
    assert main(["history", str(small), "--limit", "9" * 30]) == 0  # was "unexpected problem"
    assert "Replace" in capsys.readouterr().out
    assert main(["undo", str(small)]) == 0
    assert capsys.readouterr().out == 'undid: Replace "boat" with "ship" (1)\n'  # "undid: Undo: …"
    assert main(["redo", str(small)]) == 0
    assert capsys.readouterr().out == 'redid: Replace "boat" with "ship" (1)\n'


def test_one_decision_is_said_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "accepted 1 suggestions", and "Accept 1 suggestions" in the history."""
    src = tmp_path / "one.txt"
    src.write_text("Ann: So, um, the boat is, uh, here.\n", encoding="utf-8")
    project = tmp_path / "one.tedit"
    assert main(["import", str(src), "-o", str(project)]) == 0
    assert main(["assist", str(project), "--model", "offline"]) == 0
    capsys.readouterr()
    assert main(["review", str(project), "--accept-all"]) == 0
    assert capsys.readouterr().out == "accepted 1 suggestion\n"
    assert main(["undo", str(project)]) == 0
    assert capsys.readouterr().out == "undid: Accept 1 suggestion\n"


def test_a_bad_merge_changes_nothing_and_renames_and_merges_are_one_step(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rename was saved, then the unknown --merge name failed with exit 2.
    args = ["speakers", str(small), "--rename", "Ann=Host", "--merge", "Nobody=Bob"]
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("error: no speaker named 'Nobody'")
    with Project.open(small) as project:
        assert [s.name for s in project.doc.speakers] == ["Ann", "Bob"]
        assert project.history(10) == []  # nothing was done
    # A merge may name a speaker by the name a rename in the same command gives it.
    assert main(["speakers", str(small), "--rename", "Ann=Host", "--merge", "Bob=Host"]) == 0
    with Project.open(small) as project:
        assert [s.name for s in project.doc.speakers] == ["Host"]
        assert project.history(10)[0].description == "Rename and merge speakers"
    assert main(["undo", str(small)]) == 0
    with Project.open(small) as project:
        assert [s.name for s in project.doc.speakers] == ["Ann", "Bob"]


def test_names_the_user_gives_badly_are_bad_input(tmp_path: Path) -> None:
    """A name too long for the disk exited 1 with the OS's words and all 300 characters;
    `-o ""` wrote the project beside the input as if no -o had been given."""
    demo = str(ROOT / "resources" / "demo_transcript.txt")
    project = tmp_path / "p.tedit"
    assert main(["import", demo, "-o", str(project)]) == 0
    long = "a" * 300
    for args in (
        ["import", demo, "-o", str(tmp_path / f"{long}.tedit")],
        ["export", str(project), "-f", "txt", "-o", str(tmp_path / f"{long}.txt")],
        ["media", str(project), str(tmp_path / f"{long}.ogg")],
    ):
        result = run(*args)
        assert result.returncode == 2, (args[0], result.stderr)
        assert result.stderr.count("\n") == 1 and "file name is too long" in result.stderr
        assert len(result.stderr) < 200  # not all of it
    copy = tmp_path / "in.txt"
    copy.write_text((ROOT / "resources" / "demo_transcript.txt").read_text())
    result = run("import", str(copy), "-o", "")
    assert result.returncode == 2 and result.stderr == (
        "error: -o takes the project's path, got nothing\n"
    )
    assert not (tmp_path / "in.tedit").exists()


def test_an_import_that_loses_a_race_for_its_path_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process made the project between the check and the write: it said "… already
    exists" without the advice the check gives."""
    from editor.store import Project

    out = tmp_path / "race.tedit"
    create = Project.create

    def beaten(path, doc, **kwargs):  # type: ignore[no-untyped-def]
        create(path, doc, **kwargs).close()  # the other process, first
        return create(path, doc, **kwargs)

    monkeypatch.setattr(Project, "create", beaten)
    demo = str(ROOT / "resources" / "demo_transcript.txt")
    assert main(["import", demo, "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"error: {out}: already exists; choose another project path (-o)\n"
    )
