"""The recording a project plays beside its text: attach, detach, relink, probe.

No Qt here. The project keeps the recording's path (relative when it sits in or under the
project's folder, so a folder moved whole still finds it), size, duration and whether it
has video, as JSON in ``meta['media']``. Probing uses mutagen (pure Python: no system
libraries); Matroska/WebM, which mutagen does not read, is checked by its header and
timed later by the player (:func:`update_probe`).

Every problem is one sentence in a :class:`MediaError` (attaching) or in
:attr:`MediaStatus.problem` (opening): the transcript always opens and edits as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from editor.errors import StorageError, TranscriptError
from editor.store import Project
from editor.timecode import format_clock

META_KEY = "media"
AUDIO_EXTENSIONS = frozenset({".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus"})
VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".mkv", ".webm", ".mov"})
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS
# A recording this much shorter than the transcript's last time is worth a warning.
SHORTER_TOLERANCE_S = 2.0
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska and WebM


class MediaError(TranscriptError):
    """A recording that cannot be attached: missing, unsupported, corrupt."""


@dataclass
class MediaRef:
    """What the project stores about its recording."""

    path: str  # relative to the project's folder, or absolute
    size: int
    duration_s: float | None
    has_video: bool
    # Where it was when attached, whole: a project copied (Save a copy) or moved elsewhere
    # without its recording found it no more by the relative path alone.
    absolute: str | None = None

    @classmethod
    def from_json(cls, text: str) -> MediaRef | None:
        try:
            data = json.loads(text)
            return cls(
                path=str(data["path"]),
                size=int(data.get("size") or 0),
                duration_s=_seconds(data.get("duration_s")),
                has_video=bool(data.get("has_video")),
                absolute=str(data["absolute"]) if data.get("absolute") else None,
            )
        except (ValueError, TypeError, KeyError):
            return None  # a damaged entry reads as "no media", never as a failed open


def _seconds(value: Any) -> float | None:
    if isinstance(value, int | float) and 0 <= value < float("inf"):
        return float(value)
    return None


@dataclass
class MediaStatus:
    """The stored recording as found on disk now."""

    ref: MediaRef
    file: Path  # where the stored path points, or where the recording was found instead
    present: bool
    problem: str | None  # one clear sentence when it cannot be played as it is
    shown: str = ""  # the path to show: the stored one, or where it was found

    @property
    def path(self) -> str:
        return self.shown or self.ref.path

    @property
    def key(self) -> str:
        """Names this recording for caches (the waveform): same path and size, same sound."""
        return f"{self.ref.path}|{self.ref.size}"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,  # where it is: found moved beside the project, that place
            "present": self.present,
            "duration_s": self.ref.duration_s,
            "has_video": self.ref.has_video,
        }


@dataclass
class Probe:
    duration_s: float | None
    has_video: bool


def probe(path: str | Path) -> Probe:
    """Duration and video of a recording; MediaError with one sentence when it is not one."""
    path = Path(path)
    ext = path.suffix.lower()
    # Whether it is a file at all first: "/dev/null" was "null: without an extension …".
    if not path.exists():
        raise MediaError(f"{path}: no such file")
    if not path.is_file():
        raise MediaError(f"{path}: not a file")
    if ext not in MEDIA_EXTENSIONS:
        shown = f"a {ext} file" if ext else "a file without an extension"
        raise MediaError(
            f"{path.name}: {shown} is not a supported recording "
            f"(use {', '.join(sorted(e[1:] for e in MEDIA_EXTENSIONS))})"
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise MediaError(f"{path}: {exc.strerror or 'cannot be read'}") from None
    if size == 0:
        raise MediaError(f"{path.name} is empty")
    if ext in (".mkv", ".webm"):
        if not head.startswith(_EBML_MAGIC):
            raise MediaError(f"{path.name} is damaged or not a {ext[1:]} file")
        return Probe(None, True)  # the player reports its length when it loads
    duration = _mutagen_length(path)
    if duration is not None and ext == ".wav":
        # A WAV's header says how long it is; a file cut short (a copy stopped halfway) has
        # less sound than that, and one of a header alone none.
        duration = _wav_length(path, duration)
    if duration is None:
        raise MediaError(f"{path.name} is damaged or not a recording this app can read")
    has_video = ext in VIDEO_EXTENSIONS and _mp4_has_video(path)
    return Probe(duration, has_video)


def _mutagen_length(path: Path) -> float | None:
    import mutagen

    try:
        info = mutagen.File(path)
    except Exception:  # mutagen raises many kinds on a damaged file: all mean "unreadable"
        return None
    length = getattr(getattr(info, "info", None), "length", None)
    return _seconds(length) if length else None


def _wav_length(path: Path, said: float) -> float | None:
    """The seconds of sound a WAV holds: its header's length, or less when the file ends
    before its data does; None when it holds none."""
    import struct

    try:
        with path.open("rb") as fh:
            if fh.read(12)[8:12] != b"WAVE":
                return said
            rate = 0  # bytes of sound a second, from the "fmt " chunk
            while len(head := fh.read(8)) == 8:
                name, size = head[:4], struct.unpack("<I", head[4:])[0]
                if name == b"fmt ":
                    fmt = fh.read(size + size % 2)
                    rate = struct.unpack("<I", fmt[8:12])[0] if len(fmt) >= 12 else 0
                elif name == b"data":
                    held = min(size, path.stat().st_size - fh.tell())
                    if held <= 0:
                        return None
                    return min(said, held / rate) if rate else said
                else:
                    fh.seek(size + size % 2, 1)
    except (OSError, struct.error):
        return said
    return said


def _mp4_has_video(path: Path) -> bool:
    """True when an MP4/MOV has a video track (a handler 'vide' in moov/trak/mdia/hdlr)."""
    from mutagen.mp4 import Atoms

    try:
        with path.open("rb") as fh:
            atoms = Atoms(fh)
            moov = atoms[b"moov"]
            for trak in moov.children or []:
                if trak.name != b"trak":
                    continue
                with contextlib.suppress(KeyError):
                    ok, data = trak[b"mdia", b"hdlr"].read(fh)
                    if ok and data[8:12] == b"vide":
                        return True
    except Exception:
        return True  # could not tell: let the player decide (it corrects this on load)
    return False


# -- the project's recording ------------------------------------------------------------------


def stored_path(project: Project, media: Path) -> str:
    """Relative to the project's folder when the recording sits in or under it."""
    media = media.resolve()
    folder = project.path.resolve().parent
    if media.is_relative_to(folder):
        return media.relative_to(folder).as_posix()
    return str(media)


def resolve(project: Project, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else project.path.resolve().parent / path


def media_of(project: Project) -> MediaStatus | None:
    """The attached recording and whether it is where the project says; None without one."""
    text = project.get_meta(META_KEY)
    ref = MediaRef.from_json(text) if text else None
    if ref is None:
        return None
    file = resolve(project, ref.path)
    present = file.is_file()
    shown = ""  # it was said at its stored path after it was found elsewhere
    if not present and ref.absolute is not None and Path(ref.absolute).is_file():
        file, present = Path(ref.absolute), True  # the project went, the recording stayed
        shown = ref.absolute
    if not present and (beside := _beside(project, file.name, ref.size)) is not None:
        file, present = beside, True  # moved beside the project: the usual move
        shown = beside.name
    problem = None
    if not present:
        was = Path(ref.absolute).parent if ref.absolute is not None else file.parent
        problem = (
            f"The recording {file.name} was moved or deleted: attach it again (File → Attach "
            f"media, or 'transcript-editor media PROJECT FILE') to hear it. It was in {was}; "
            "the transcript works as before."
        )
    return MediaStatus(ref, file, present, problem, shown)


def attach(project: Project, path: str | Path) -> tuple[MediaStatus, list[str]]:
    """Attach (or replace, or relink) the project's recording; returns it and warnings."""
    if project.read_only:  # what every change says on a read-only project (exit 1)
        raise StorageError(f"{project.path} is read-only: changes cannot be saved")
    path = Path(path)
    found = probe(path)
    ref = MediaRef(
        path=stored_path(project, path),
        size=path.stat().st_size,
        duration_s=found.duration_s,
        has_video=found.has_video,
        absolute=str(path.resolve()),
    )
    _write(project, ref)
    status = media_of(project)
    assert status is not None
    return status, shorter_warning(project, ref.duration_s)


def relink(project: Project, path: str | Path) -> tuple[MediaStatus, list[str]]:
    """Point the project at its moved recording (the same as attaching it again)."""
    return attach(project, path)


def detach(project: Project) -> bool:
    """Forget the recording; True when there was one. The file itself is never touched."""
    if project.read_only:
        raise StorageError(f"{project.path} is read-only: changes cannot be saved")
    if project.get_meta(META_KEY) is None:
        return False
    project.conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))
    return True


def update_probe(project: Project, duration_s: float | None, has_video: bool) -> None:
    """The player knows better once it has loaded the file (Matroska length, video)."""
    status = media_of(project)
    if status is None or project.read_only:
        return
    ref = status.ref
    duration = _seconds(duration_s) if duration_s else ref.duration_s
    if (duration, has_video) != (ref.duration_s, ref.has_video):
        _write(project, MediaRef(ref.path, ref.size, duration, has_video, ref.absolute))


def _beside(project: Project, name: str, size: int | None) -> Path | None:
    """A recording of that name and size beside the project (the window found it there and
    the command line did not: "missing", exit 1)."""
    candidate = project.path.resolve().parent / name
    with contextlib.suppress(OSError):
        if candidate.is_file() and (size is None or candidate.stat().st_size == size):
            return candidate
    return None


def shorter_warning(project: Project, duration_s: float | None) -> list[str]:
    end = project.doc.duration
    if duration_s is None or end is None or end <= duration_s + SHORTER_TOLERANCE_S:
        return []
    return [
        f"The recording is {format_clock(duration_s)} long but the transcript runs to "
        f"{format_clock(end)}: passages after {format_clock(duration_s)} cannot be played."
    ]


def _write(project: Project, ref: MediaRef) -> None:
    project.set_meta(META_KEY, json.dumps(asdict(ref), ensure_ascii=False))


# -- the waveform cache -----------------------------------------------------------------------


def cached_peaks(project: Project, key: str) -> tuple[float, bytes] | None:
    """Peaks (one unsigned byte each, ``rate`` a second) computed earlier for this recording."""
    row = project.conn.execute(
        "SELECT rate, peaks FROM waveforms WHERE media = ?", (key,)
    ).fetchone()
    return (float(row[0]), bytes(row[1])) if row else None


def store_peaks(project: Project, key: str, rate: float, peaks: bytes) -> None:
    if project.read_only:
        return  # drawn this time, computed again next time
    project.conn.execute(
        "INSERT OR REPLACE INTO waveforms (media, rate, peaks, created) VALUES (?, ?, ?, ?)",
        (key, rate, peaks, time.time()),
    )


def describe(status: MediaStatus) -> str:
    """One line for the CLI and the status bar."""
    length = format_clock(status.ref.duration_s) if status.ref.duration_s is not None else "?"
    kind = "video" if status.ref.has_video else "audio"
    where = "" if status.present else " (missing)"
    return f"{status.path} · {kind} · {length}{where}"


def media_filter() -> str:
    """For file dialogs."""
    pattern = " ".join(f"*{e}" for e in sorted(MEDIA_EXTENSIONS))
    return f"Recordings ({pattern});;All files (*)"


def is_media_file(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in MEDIA_EXTENSIONS
