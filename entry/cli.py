"""The ``transcript-editor`` command line: a contract documented in the README.

Errors are one line ``error: …`` on stderr; exit status 2 for bad input or
usage, 1 for anything else; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from editor.errors import (
    FileGone,
    ProjectError,
    StorageError,
    TranscriptError,
    os_failure,
    sqlite_failure,
)
from entry.cli_subtitles import (
    SUBTITLE_FORMATS,
    add_subtitle_arguments,
    subtitle_options,
    summary,
)

if TYPE_CHECKING:
    from editor.commands import Command
    from editor.store import Project

# Each command imports what it needs when it runs: ``assist`` with the built-in engine
# must reach its first request within 0.15 s of start-up (issue 13).


class UsageError(TranscriptError):
    """Bad arguments: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(message)


class _Unused:
    """Takes the arguments of a command that is not being run: each subparser costs argparse
    half a millisecond (it looks up translations), fifteen of them a tenth of ``assist``'s
    start-up budget."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        return None

    def add_mutually_exclusive_group(self, **kwargs: Any) -> _Unused:
        return self

    def add_argument_group(self, *args: Any, **kwargs: Any) -> _Unused:
        return self


class _Commands:
    """The subparsers, built for every command or for ``only`` the one being run."""

    def __init__(self, action: argparse._SubParsersAction, only: str | None) -> None:
        self.action, self.only = action, only


def _at_least_0(value: str) -> int:
    """A count option (``--limit``): 0 or more; a huge one means all (SQLite's integers
    stop at 2**63: "Python int too large to convert to SQLite INTEGER")."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value!r}")
    return min(n, 2**62)


def _add(sub: _Commands, name: str, help_: str) -> Any:
    if sub.only is not None and name != sub.only:
        return _Unused()
    parser: argparse.ArgumentParser = sub.action.add_parser(name, help=help_, description=help_)
    return parser


def _command(args: list[str]) -> str | None:
    """The command named on the line, when only its parser is needed (no help asked)."""
    if any(a in ("-h", "--help") for a in args):
        return None
    first = next((a for a in args if not a.startswith("-")), None)
    return first if first in _HANDLERS else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, the parser of that one command alone
    (what ``main`` uses when the line names a command: it parses the same)."""
    parser = _Parser(
        prog="transcript-editor",
        description="Turn raw transcripts into clean, publishable ones.",
    )
    from editor import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = _Commands(parser.add_subparsers(dest="command", parser_class=_Parser), only)

    p = _add(sub, "import", "Import a transcript file into a new project.")
    p.add_argument("input")
    p.add_argument(
        "-o",
        "--output",
        metavar="PROJECT",
        help="default: beside INPUT, with .tedit for its extension (talk.srt: talk.tedit)",
    )
    p.add_argument("--format", metavar="NAME")
    p.add_argument("--episode", metavar="TITLE")
    p.add_argument("--media", metavar="FILE", help="attach the recording (audio or video)")

    p = _add(sub, "media", "Attach a recording to a project, show it, or detach it.")
    p.add_argument("project")
    p.add_argument("file", nargs="?", help="the recording to attach (or relink when moved)")
    p.add_argument("--detach", action="store_true", help="forget the recording")

    p = _add(sub, "info", "Summarise a project (or a transcript file, listing its episodes).")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.add_argument("--format", metavar="NAME", help="for a transcript file: force an importer")

    p = _add(sub, "export", "Export a project.")
    p.add_argument("project")
    p.add_argument(
        "-f",
        "--format",
        metavar="FORMAT",
        help="md, txt, docx, html, srt, vtt or json (default: OUT's extension)",
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--original", action="store_true", help="export the original text")
    p.add_argument("--no-timestamps", action="store_true")
    add_subtitle_arguments(p)

    p = _add(sub, "speakers", "List speakers with passage and word counts; rename them.")
    p.add_argument("project")
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW")
    p.add_argument(
        "--merge",
        action="append",
        default=[],
        metavar="SOURCE=TARGET",
        help="give all of SOURCE's passages to TARGET and remove SOURCE",
    )
    p.add_argument("--json", action="store_true")

    p = _add(sub, "replace", "Find and replace over the edited text (one undo step).")
    p.add_argument("project")
    p.add_argument("find")
    p.add_argument("replacement")
    p.add_argument("--regex", action="store_true")
    p.add_argument("--whole-word", action="store_true")
    p.add_argument("--case-sensitive", action="store_true")

    p = _add(sub, "history", "List the edit history.")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_at_least_0, default=None, metavar="N")

    for name, help_ in (
        ("undo", "Undo the last change."),
        ("redo", "Redo the last undone change."),
    ):
        p = _add(sub, name, help_)
        p.add_argument("project")

    p = _add(sub, "models", "List the models available for suggestions, marking the default.")
    p.add_argument("--json", action="store_true")

    p = _add(sub, "assist", "Ask a model for suggestions on the passages (stored for review).")
    p.add_argument("project")
    p.add_argument("--model", metavar="ID", help="an llm model id or alias (default: offline)")
    p.add_argument("--kinds", default="readability", metavar="speakers,readability")
    p.add_argument("--level", default="standard", choices=("light", "standard", "print"))
    p.add_argument("--concurrency", type=int, default=4, metavar="N")
    p.add_argument("--passages", metavar="RANGE", help="like 1-96: 1-based, inclusive")
    p.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="per request (default 60)"
    )

    p = _add(sub, "review", "Accept or reject the pending suggestions (one undo step).")
    p.add_argument("project")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--accept-all", action="store_true")
    group.add_argument("--reject-all", action="store_true")
    group.add_argument("--accept-all-safe", action="store_true")
    p.add_argument("--passages", metavar="RANGE")

    p = _add(sub, "compare", "Audit a rewrite: diff two versions word by word and judge it.")
    p.add_argument("before", metavar="BEFORE")
    p.add_argument("after", metavar="AFTER")
    p.add_argument("--json", action="store_true")
    p.add_argument("--level", default="standard", choices=("light", "standard", "print"))

    p = _add(sub, "open", "Open a project or transcript in the window.")
    _gui_options(p)
    p.add_argument("path")
    p = _add(sub, "demo", "Open the bundled demo transcript in the window.")
    _gui_options(p)
    return parser


def _gui_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--screenshot", metavar="OUT.png")
    p.add_argument("--size", metavar="WxH", help="window size (default: last size, fitted)")
    p.add_argument("--theme", choices=("light", "dark"))


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(only=_command(args_list))
        args = parser.parse_args(args_list)
        if args.command is None:
            return _launch_gui(None)
        handler = _HANDLERS[args.command]
        code = handler(args)
        if argv is None and args.command in _LEAVE_AT_ONCE:
            _leave_at_once(code)
        return code
    except TranscriptError as exc:
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 1
    except BrokenPipeError:
        return 1
    except UnicodeError:
        # A lone surrogate (from bytes that are not UTF-8) in an argument or file name.
        _error("an argument or file name is not valid text (not UTF-8); rename it or retype it")
        return 2
    except sqlite3.Error as exc:
        failure = sqlite_failure(exc, "the project")
        _error(str(failure))
        return failure.exit_code
    except OSError as exc:
        failure = os_failure(exc, _shown(exc.filename) if exc.filename else "a file")
        _error(str(failure))
        return failure.exit_code
    except Exception as exc:  # never a traceback (nor a raw exception name) for the user
        from editor.values import short

        _error(f"unexpected problem: {short(exc, 160) or 'no details'}")
        return 1


# Commands that, run as the program (``argv`` None: the installed script, not a caller in
# this process), end without the interpreter's teardown once they have finished.
_LEAVE_AT_ONCE = frozenset({"assist"})


def _leave_at_once(code: int) -> None:
    """End the process now, skipping the interpreter's teardown: freeing every object and
    module one by one, ~30 ms once asyncio is loaded, a tenth of a 64-way run's own time
    (issue 13). Safe here because everything that teardown would finish is finished first:
    the command has closed its project (committed, checkpointed, connection closed) and SDK
    clients; the exit handlers run now (logging's flush, ``weakref.finalize``, executor
    joins), then stdout and stderr are flushed. Only when this is the sole thread (the
    interpreter would wait for any other) and the streams flush; otherwise the ordinary way."""
    import atexit
    import threading

    if threading.active_count() != 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream: let the usual exit report it
        return
    os._exit(code)


def _noun(n: int, noun: str) -> str:
    """ "passage" for one, "passages" for any other number."""
    return noun if n == 1 else noun + "s"


def _count(n: int, noun: str) -> str:
    """ "1 passage", "2 passages" (no thousands separator: scripts read these numbers)."""
    return f"{n} {_noun(n, noun)}"


def _shown(value: object) -> str:
    """Text that can be printed whatever the terminal: one line, bad bytes as \\x escapes."""
    text = os.fsdecode(value) if isinstance(value, bytes) else str(value)
    text = " ".join(text.splitlines())
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    return text.encode(encoding, "backslashreplace").decode(encoding)


def _error(message: str) -> None:
    """Exactly one line on stderr, however odd the message's characters."""
    print(f"error: {_shown(message)}", file=sys.stderr)


# -- handlers -------------------------------------------------------------------------------


def _open_project(path: str, *, look: bool = False):  # -> Project
    """The project at ``path``; with ``look``, opened to read only: a command that only
    shows something works on a full disk or read-only media and writes nothing."""
    from editor.store import Project

    if not Path(path).exists():
        raise TranscriptError(f"{path}: no such file")
    return Project.open(path, read_only=True if look else None)


def _open_session(path: str, *, look: bool = False):  # -> Session
    """Every change the command line makes goes through a session, as the window's do: a
    decision carries what it teaches into its own history entry."""
    from assist.learning import teach
    from assist.review import StaleWatch, time_moves
    from editor.session import Session

    class CliSession(Session):
        """Its changes' suggestions that went stale are marked so before it closes, as
        the window marks them after each change."""

        def close(self) -> None:
            try:
                watch.settle()
            except TranscriptError:
                pass  # the change is made; a full disk leaves them pending (review checks)
            finally:
                super().close()

    session = CliSession(_open_project(path, look=look))
    watch = StaleWatch(session.project)
    session.add_listener(watch.seen)
    session.add_transform(teach)
    session.add_transform(time_moves)
    return session


def cmd_import(args: argparse.Namespace) -> int:
    from editor.importing import load_transcript
    from editor.opening import path_text
    from editor.store import Project

    if args.output is not None and not args.output.strip():
        # -o "" wrote the project beside INPUT as if -o had not been given.
        raise UsageError("-o takes the project's path, got nothing")
    out = Path(args.output) if args.output else _beside(Path(args.input))
    if out is None:  # "/", "." or "": the loader says what is wrong with such an input
        load_transcript(args.input, format=args.format)
        raise TranscriptError(f"{args.input!r}: choose the project's path with -o")
    if out.exists() or out.is_symlink():
        raise TranscriptError(f"{out}: already exists; choose another project path (-o)")
    if not out.parent.is_dir():
        raise TranscriptError(f"{out.parent}: no such folder")
    if args.media:
        from editor.media import probe

        probe(args.media)  # a bad recording is refused before any project is written
    doc = load_transcript(args.input, format=args.format, episode=args.episode)
    try:
        project = Project.create(out, doc, source=path_text(Path(args.input).resolve()))
    except ProjectError:
        if out.exists():  # made by another process meanwhile: said as above
            raise TranscriptError(
                f"{out}: already exists; choose another project path (-o)"
            ) from None
        raise
    try:
        if args.media:
            _attach(project, args.media)
        print(
            _shown(
                f"imported {_count(len(project.doc.passages), 'passage')}, "
                f"{_count(len(project.doc.speakers), 'speaker')} ({project.doc.format}) into {out}"
            )
        )
        if doc.format == "podcast-index" and args.episode is None:
            _say_other_episodes(args.input, doc.title)
    finally:
        project.close()
    return 0


def _say_other_episodes(path: str, chosen: str) -> None:
    """A file of several episodes gave its first: say so (it was silent)."""
    from editor.importing import list_episodes

    others = len(list_episodes(path)) - 1
    if others > 0:
        print(
            _shown(
                f"  note: imported the first episode, {chosen!r}; the file holds "
                f"{_count(others, 'other')} (list them with 'info', choose with --episode)"
            )
        )


def _beside(source: Path) -> Path | None:
    """The default project for an import: INPUT's name with .tedit, in INPUT's folder."""
    return source.with_suffix(".tedit") if source.name not in ("", ".", "..") else None


def _attach(project, file: str) -> None:  # type: ignore[no-untyped-def]
    from editor.media import attach, describe

    status, warnings = attach(project, file)
    print(_shown(f"media: {describe(status)}"))
    for warning in warnings:
        print(_shown(f"warning: {warning}"), file=sys.stderr)


def cmd_media(args: argparse.Namespace) -> int:
    from editor.media import describe, detach, media_of

    if args.detach and args.file:
        raise UsageError("give a recording to attach, or --detach, not both")
    project = _open_project(args.project, look=not (args.detach or args.file))
    try:
        if args.detach:
            print("detached" if detach(project) else "no recording was attached")
        elif args.file:
            _attach(project, args.file)
        else:
            status = media_of(project)
            print(_shown(describe(status)) if status else "no recording attached")
            if status is not None and status.problem:
                _error(status.problem)
                return 1
    finally:
        project.close()
    return 0


def info_dict(project) -> dict:  # type: ignore[no-untyped-def]
    from editor.summary import summarise

    return summarise(project.doc, history_entries=project.history_count())


def _failures(project) -> list[dict]:  # type: ignore[no-untyped-def]
    """Each passage a model failed on, with the reason (1-based passage numbers)."""
    index = {p.id: i + 1 for i, p in enumerate(project.doc.passages)}
    return [
        {"passage": index.get(row["passage_id"]), "kind": row["kind"], "reason": row["error"]}
        for row in sorted(project.suggestions.values(), key=lambda r: r["id"])
        if row["status"] == "failed"
    ]


def cmd_info(args: argparse.Namespace) -> int:
    from editor.summary import summarise

    path = Path(args.project)
    if not path.exists():
        raise TranscriptError(f"{path}: no such file")
    if _is_sqlite(path):
        from editor.store import Project

        project = Project.open(path, read_only=True)  # info only looks: it never writes
        try:
            info = info_dict(project)
            info["suggestions"] = _suggestion_counts(project)
            info["failures"] = _failures(project)
            info["media"] = _media_info(project)
        finally:
            project.close()
    else:
        from editor.importing import list_episodes, load_transcript

        doc = load_transcript(path, format=args.format)
        info = summarise(doc, history_entries=None)
        info["project"] = False
        episodes = list_episodes(path)
        if episodes:
            info["episodes"] = [{"title": t, "utterances": n} for t, n in episodes]
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        _print_info(info)
    return 0


def _suggestion_counts(project: Project) -> dict[str, int]:
    """The project's suggestions by status, as the window would show them: an edit made
    since (by ``replace``, ``undo``...) makes a pending suggestion stale, or brings a stale
    one back, though only ``review`` and the window write that down (info never writes)."""
    from assist.review import stale_changes

    counts = project.suggestion_counts()  # those of passages that are gone left out
    here = {p.id for p in project.doc.passages}
    undecided = [
        r
        for r in project.suggestions.values()
        if r["status"] in ("pending", "stale") and r["passage_id"] in here
    ]
    stale, revived = stale_changes(project.doc, undecided)
    moved = len(stale) - len(revived)
    counts["pending"] -= moved
    counts["stale"] += moved
    return counts


def _media_info(project) -> dict | None:  # type: ignore[no-untyped-def]
    from editor.media import media_of

    status = media_of(project)
    return status.to_json() if status is not None else None


def _print_info(info: dict) -> None:
    from editor.timecode import format_clock

    print(f"title:      {info['title'] or '(untitled)'}")
    print(f"format:     {info['format']}")
    print(f"passages:   {info['passages']}")
    print(f"speakers:   {', '.join(info['speakers'])}")
    print(f"words:      {info['words']} (original {info['original_words']})")
    dur = info["duration_s"]
    print(f"duration:   {format_clock(dur) if dur is not None else 'unknown'}")
    print(f"chapters:   {len(info['chapters'])}")
    if info.get("history_entries") is not None:
        print(f"history:    {info['history_entries']} entries")
    for ep in info.get("episodes", []):
        print(f"episode:    {ep['title']} ({ep['utterances']} utterances)")
    if "suggestions" in info:
        s = info["suggestions"]
        print("suggestions: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    if info.get("media"):
        m = info["media"]
        missing = "" if m["present"] else " (missing)"
        print(_shown(f"media:      {m['path']}{missing}"))


def _is_sqlite(path: Path) -> bool:
    from editor.textio import open_regular

    with open_regular(path) as fh:  # a FIFO or device: one line, never a hang
        return fh.read(16) == b"SQLite format 3\x00"


def cmd_export(args: argparse.Namespace) -> int:
    from editor.exporters import (
        REGISTRY,
        ExportOptions,
        export_transcript,
        format_for,
        get_exporter,
        write_export,
    )
    from editor.exporters.output import Written, refuse_project

    if args.format is None:  # talk.srt says srt; "-" (standard output) says nothing
        args.format = format_for(args.output)
        if args.format is None:
            names = ", ".join(REGISTRY)
            raise TranscriptError(f"say the format with -f ({names}): {args.output!r} names none")
    get_exporter(args.format)  # a bad format name before any work
    subtitles = subtitle_options(args)  # bad limits before any work too
    if args.output != "-":
        # Never export onto a project (os.path.realpath: a loop of links is no error here;
        # writing then says what it is).
        refuse_project(Path(os.path.realpath(args.output)))
    if not Path(args.project).exists():
        raise TranscriptError(f"{args.project}: no such file")
    from editor.store import Project

    # Read-only: an export only looks (typed drafts included), so it works on a read-only
    # or full disk and never leaves a -wal/-shm behind.
    project = Project.open(args.project, read_only=True)
    try:
        options = ExportOptions(
            timestamps=not args.no_timestamps, original=args.original, subtitles=subtitles
        )
        qc = ""
        if args.format in SUBTITLE_FORMATS:
            from editor.wordtimes import doc_with_words

            # Timed from the stored word times where the import had them; the cues are built
            # once, for the file and for its QC line.
            doc = doc_with_words(project)
            exporter: Any = get_exporter(args.format)
            cues = exporter.cues(doc, options)
            written = write_export(exporter.render_cues(doc, cues), args.output)
            qc = summary(exporter.report_cues(cues, options), subtitles)
        else:
            doc = project.doc
            if args.format == "json" and options.timestamps:  # the measured word times too
                from editor.wordtimes import doc_with_words

                doc = doc_with_words(project)
            written = export_transcript(doc, args.format, args.output, options)
    finally:
        project.close()
    # A device may be standard output under another name (/dev/stdout into a pipe): what
    # is said about it goes to stderr, so that the stream carries the export alone.
    said = sys.stderr if written in (Written.STDOUT, Written.DEVICE) else sys.stdout
    if written is Written.REPLACED:
        print(_shown(f"replaced {args.output}"))
    elif written is not Written.STDOUT:  # stdout carries the export alone
        print(_shown(f"wrote {args.output}"), file=said)
    if qc:  # the QC line; on stderr when stdout carries the export
        print(qc, file=said)
    return 0


def speaker_rows(doc) -> list[dict]:  # type: ignore[no-untyped-def]
    from editor.summary import speaker_stats

    return speaker_stats(doc)


def _merge_command(  # type: ignore[no-untyped-def]
    doc, item: str, earlier: list[Command], renamed: dict[int, str]
) -> Command:
    """``--merge SOURCE=TARGET`` (names or imported labels, a name as ``renamed`` makes it)
    as a MergeSpeakers command."""
    from editor.commands import MergeSpeakers

    source, sep, target = (part.strip() for part in item.partition("="))
    if not sep or not source or not target:
        raise UsageError(f"--merge takes SOURCE=TARGET, got {item!r}")
    gone = {c.source_id for c in earlier if isinstance(c, MergeSpeakers)}

    def find(name: str) -> int:
        for s in doc.speakers:
            if s.id not in gone and name in (renamed.get(s.id, s.name), s.label):
                return int(s.id)
        names = ", ".join(renamed.get(s.id, s.name) for s in doc.speakers if s.id not in gone)
        raise TranscriptError(f"no speaker named {name!r} (speakers: {names})")

    return MergeSpeakers(find(source), find(target))


def cmd_speakers(args: argparse.Namespace) -> int:
    from editor.commands import Compound, RenameSpeaker

    for item in [*args.rename, *args.merge]:
        # Bytes that are not UTF-8 were cleaned out of the name without a word: refused,
        # as replace refuses them (main says so in one line).
        item.encode("utf-8")
    session = _open_session(args.project, look=not (args.rename or args.merge))
    project = session.project
    try:
        renames: list[Command] = []
        for item in args.rename:
            old, sep, new = item.partition("=")
            old, new = old.strip(), new.strip()
            if not sep or not old or not new:
                raise UsageError(f"--rename takes OLD=NEW, got {item!r}")
            matches = [s for s in project.doc.speakers if old in (s.name, s.label)]
            if not matches:
                names = ", ".join(s.name for s in project.doc.speakers)
                raise TranscriptError(f"no speaker named {old!r} (speakers: {names})")
            renames.extend(RenameSpeaker(s.id, new) for s in matches)
        renamed = {c.speaker_id: c.new_name for c in renames if isinstance(c, RenameSpeaker)}
        merges: list[Command] = []
        for item in args.merge:
            merges.append(_merge_command(project.doc, item, merges, renamed))
        # Every name checked before anything changes, and all of it one step: a bad
        # --merge had failed after the renames were saved.
        steps = renames + merges
        if len(steps) == 1:
            session.execute(steps[0])
        elif steps:
            what = "Rename and merge" if renames and merges else "Rename" if renames else "Merge"
            session.execute(Compound(steps, f"{what} speakers"))
        rows = speaker_rows(project.doc)
    finally:
        session.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = max((len(r["name"]) for r in rows), default=4)
        for r in rows:
            n, w = r["passages"], r["words"]
            passages = _noun(n, "passage")
            print(f"{r['name']:<{width}}  {n:>6} {passages:<8}  {w:>8} {_noun(w, 'word')}")
    return 0


def cmd_replace(args: argparse.Namespace) -> int:
    from editor.commands import ReplaceAll

    session = _open_session(args.project)
    try:
        entry = session.execute(
            ReplaceAll(
                args.find,
                args.replacement,
                regex=args.regex,
                whole_word=args.whole_word,
                case_sensitive=args.case_sensitive,
            )
        )
    finally:
        session.close()
    count = entry.extra.get("count", 0) if entry is not None else 0
    print(f"{count} replacement{'s' if count != 1 else ''}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    import datetime as dt

    project = _open_project(args.project, look=True)
    try:
        entries = project.history(args.limit)
    finally:
        project.close()
    rows = [
        {
            "id": e.id,
            "time": dt.datetime.fromtimestamp(e.time, dt.UTC).isoformat(timespec="seconds"),
            "kind": e.kind,
            "command": e.command,
            "description": e.description,
            "source": e.source,
            "passages": e.passage_ids,
            "target": e.target,
        }
        for e in entries
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            kind = "" if r["kind"] == "do" else f"[{r['kind']}] "
            print(f"{r['id']:>5}  {r['time']}  {kind}{r['description']}  ({r['source']})")
    return 0


def _undo_redo(args: argparse.Namespace, redo: bool) -> int:
    from assist.learning import shared_step

    session = _open_session(args.project)
    try:
        entry = session.redo() if redo else session.undo()
        problem = shared_step(session.project, entry)  # "Keep for all projects": its file too
    finally:
        session.close()
    if entry is None:
        raise TranscriptError(f"nothing to {'redo' if redo else 'undo'}")
    # The entry says "Undo: Replace …"; the verb is said once ("undid: Undo: …" before).
    what = entry.description.removeprefix("Redo: " if redo else "Undo: ")
    print(f"{'redid' if redo else 'undid'}: {what}")
    if problem is not None:  # the project's step is made; the user-wide file is not
        print(f"  note: {problem}")
    return 0


MAX_SIDE = 16384  # pixels: Qt's own limit for an image, and so for a screenshot


def _parse_size(value: str) -> tuple[int, int]:
    w, sep, h = value.lower().partition("x")
    ok = sep and w.isdigit() and h.isdigit() and len(w) < 6 and len(h) < 6
    if not ok or not (200 <= int(w) <= MAX_SIDE and 150 <= int(h) <= MAX_SIDE):
        raise UsageError(
            f"--size takes WIDTHxHEIGHT like 1440x900 (200x150 to {MAX_SIDE}x{MAX_SIDE}), "
            f"got {value!r}"
        )
    return int(w), int(h)


def _launch_gui(
    path: str | None, args: argparse.Namespace | None = None, demo: bool = False
) -> int:
    from widgets.app import launch

    size = _parse_size(args.size) if args is not None and args.size else None
    screenshot = args.screenshot if args is not None else None
    theme = args.theme if args is not None else None
    return launch(path, demo=demo, screenshot=screenshot, size=size, theme=theme)


def cmd_models(args: argparse.Namespace) -> int:
    from assist.models import available_models

    rows = available_models()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            mark = "*" if row["default"] else " "
            aliases = f" (aliases: {', '.join(row['aliases'])})" if row["aliases"] else ""
            key = "" if not row["needs_key"] else f"  [key: {row['needs_key']}]"
            print(f"{mark} {row['id']}{aliases}{key}")
    return 0


def cmd_assist(args: argparse.Namespace) -> int:
    import math

    from assist.runner import RetryPolicy
    from assist.service import run_assist_blocking

    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    if not kinds:  # it asked nothing and said "asked 0"
        raise UsageError("--kinds takes speakers, readability or both, got nothing")
    if args.model is not None and not args.model.strip():
        raise UsageError("--model takes a model id (see 'transcript-editor models'), got nothing")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if not (math.isfinite(args.timeout) and 0 < args.timeout <= 3600):
        raise UsageError("--timeout must be more than 0 and at most 3600 seconds")
    project = _open_project(args.project)
    unrecorded: StorageError | None = None
    try:
        started = project.run_start_time()
        try:
            # The built-in engine runs without an event loop; any other model under asyncio.
            summary = run_assist_blocking(
                project,
                model_id=args.model,
                kinds=kinds,
                level=args.level,
                concurrency=args.concurrency,
                passages=args.passages,
                retry=RetryPolicy(timeout=args.timeout),
            )
        except StorageError as exc:
            raise _stopped_storing(project, started, exc) from None
        except KeyboardInterrupt:
            # Said with what is kept: "interrupted" alone left it to guess.
            stored, kept = _kept_by_run(project, started)
            _error(
                f"interrupted: {kept} {'is' if stored == 1 else 'are'} stored; run assist "
                "again to ask for the rest"
            )
            return 1
        try:
            # As the window's runs are: its review progress then counts this run's
            # suggestions ("3 of 13 reviewed in the last run"), not every one ever made.
            project.run_finished(started)
        except StorageError as exc:  # the suggestions are stored: said below, after them
            unrecorded = exc
    finally:
        project.close()
    print(summary.line())
    for note in summary.notes:
        print(f"  note: {note}")
    for error in summary.errors[:5]:
        print(f"  failed: {error}")
    if len(summary.errors) > 5:
        print(f"  … and {len(summary.errors) - 5} more (info --json lists them all)")
    if unrecorded is not None:
        _error(
            f"{_cause(unrecorded)}: the suggestions are stored, but not the run's record "
            "(the window's review progress counts every suggestion, not this run's)"
        )
        return unrecorded.exit_code
    asked = summary.asked + summary.cached
    return 1 if asked and summary.failed == asked else 0


def _cause(exc: StorageError) -> str:
    """What refused, without the "was not changed" the store says of a whole command."""
    text = str(exc)
    return "disk full" if text.startswith("disk full") else text.split(";")[0]


def _stopped_storing(project: Project, started: float, exc: StorageError) -> StorageError:
    """The error of a run the store stopped: what it had stored by then is kept and said
    (it said "the project was not changed")."""
    stored, kept = _kept_by_run(project, started)
    if not stored or isinstance(exc, FileGone):
        return exc  # not room that is missing: the file at the path is another's now
    return StorageError(
        f"{_cause(exc)}: {kept} {'was' if stored == 1 else 'were'} stored, the rest were not; "
        "run assist again once there is room (it asks only for the rest)"
    )


def _kept_by_run(project: Project, started: float) -> tuple[int, str]:
    """How many suggestions the run since ``started`` has stored, and that said in words."""
    stored = sum(project.suggestion_counts(since=started).values())
    return stored, f"{_count(stored, 'suggestion')} from this run"


def cmd_review(args: argparse.Namespace) -> int:
    from assist.review import AcceptSuggestion, RejectSuggestion, mark_stale
    from assist.service import parse_range
    from assist.suggestion import typed
    from editor.commands import Compound

    session = _open_session(args.project)
    project = session.project
    try:
        wanted = {
            project.doc.passages[i].id
            for i in parse_range(args.passages, len(project.doc.passages))
        }
        undecided = [
            row
            for row in sorted(project.suggestions.values(), key=lambda r: r["id"])
            if row["status"] in ("pending", "stale") and row["passage_id"] in wanted
        ]
        # Stale ones that apply again (an undo brought their text back) are pending again.
        mark_stale(project, undecided)
        # Said whether this review found them stale or the change that made them so (the
        # command line's changes mark them as they are made).
        stale = {
            row["id"] for row in undecided if project.suggestions[row["id"]]["status"] == "stale"
        }
        pending = [
            row for row in undecided if project.suggestions[row["id"]]["status"] == "pending"
        ]
        if args.accept_all_safe:
            from assist.review_state import safe_suggestions

            chosen = [p for p in project.doc.passages if p.id in wanted]
            safe = set(safe_suggestions(project, chosen))
            pending = [row for row in pending if row["id"] in safe]
        flagged: list[str] = []
        if not args.reject_all:
            # Markup or instructions in a reply are never accepted unseen.
            number = {p.id: i + 1 for i, p in enumerate(project.doc.passages)}
            for row in pending:
                flags = typed(row).flags
                if flags and row["id"] not in stale:
                    flagged.append(f"passage {number.get(row['passage_id'])} ({flags[0]})")
            pending = [row for row in pending if not typed(row).flags]
        cls = RejectSuggestion if args.reject_all else AcceptSuggestion
        decisions: list[Command] = [
            cls(project.suggestions, row["id"]) for row in pending if row["id"] not in stale
        ]
        entry = None
        if decisions:
            verb = "Reject" if args.reject_all else "Accept"
            entry = session.execute(
                Compound(decisions, f"{verb} {_count(len(decisions), 'suggestion')}")
            )
    finally:
        session.close()
    verb = "rejected" if args.reject_all else "accepted"
    print(
        f"{verb} {_count(len(decisions), 'suggestion')}"
        + (f"; {len(stale)} stale" if stale else "")
    )
    from assist.learning import learned_by

    learned = learned_by(entry)
    for taught in learned["glossary"] + learned["rules"]:
        print(f"learned: {taught}")
    if learned.get("withdrawn"):
        # Outside the passages asked about, too: said, or they seemed to vanish.
        others = _count(len(learned["withdrawn"]), "other suggestion")
        print(f"  its changes were taken out of {others} (undo brings them back)")
    if flagged:
        print(f"skipped {len(flagged)} flagged, to review in the window: " + "; ".join(flagged[:5]))
    return 0


def _version(path: str) -> tuple[str, list[str]]:
    """The edited text of a project, or the text of a transcript file in any format, with the
    names and terms it gives (speakers, title, description, a project's glossary)."""
    from assist.review_state import known_terms
    from editor.importing import load_transcript

    if not Path(path).exists():
        raise TranscriptError(f"{path}: no such file")
    if _is_sqlite(Path(path)):
        from assist.memory import glossary

        project = _open_project(path, look=True)
        try:
            terms = [*known_terms(project.doc), *glossary(project).values()]
            return "\n".join(p.text for p in project.doc.passages), terms
        finally:
            project.close()
    doc = load_transcript(path)
    return "\n".join(p.text for p in doc.passages), known_terms(doc)


def cmd_compare(args: argparse.Namespace) -> int:
    from assist.faithfulness import assess

    (before, terms_a), (after, terms_b) = _version(args.before), _version(args.after)
    result = assess(before, after, level=args.level, known_terms=[*terms_a, *terms_b])
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    shown = [h for h in result.hunks if h.cls != "cosmetic"]
    content = [h for h in result.hunks if h.cls == "content"]
    print(f"{result.verdict}: {result.reason}")
    print(
        f"{_count(len(result.hunks), 'change')}, {len(content)} to content; content words removed "
        f"{result.content_words_removed}, added {result.content_words_added}"
    )
    for h in shown:
        mark = "!" if h.risky else "-"
        print(f"  {mark} {h.reason}: {h.before.strip()!r} -> {h.after.strip()!r}")
    return 0


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": cmd_import,
    "info": cmd_info,
    "export": cmd_export,
    "speakers": cmd_speakers,
    "replace": cmd_replace,
    "history": cmd_history,
    "undo": lambda a: _undo_redo(a, redo=False),
    "redo": lambda a: _undo_redo(a, redo=True),
    "models": cmd_models,
    "assist": cmd_assist,
    "review": cmd_review,
    "compare": cmd_compare,
    "media": cmd_media,
    "open": lambda a: _launch_gui(a.path, a),
    "demo": lambda a: _launch_gui(None, a, demo=True),
}


if __name__ == "__main__":
    sys.exit(main())
