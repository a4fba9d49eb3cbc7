"""Opening an input file safely: a regular file of bounded size, inside the project, read at most once.

The file's type and size are checked with `os.stat` before it is opened, so a named pipe never blocks,
a link to `/dev/zero` is never read, and a file larger than its cap is refused without being read.
A symbolic link is followed only when it stays inside the project folder (the folder that holds
`data/` and `indices/`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scoring.inputs.errors import Collector

MIB = 1024 * 1024
CSV_MAX_BYTES = 20 * MIB  # the shipped data is well under 1 MiB
TOML_MAX_BYTES = 1 * MIB  # the shipped definitions are under 20 KiB

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit // 1024} KiB"


def _inside(target: str, roots: tuple[Path, ...]) -> bool:
    return any(target == str(root) or target.startswith(str(root).rstrip(os.sep) + os.sep) for root in roots)


def project_roots(folder: Path) -> tuple[Path, ...]:
    """Where a link found in `folder` (`data/` or `indices/`) may point: the project folder holding it,
    as written and as resolved (so a project reached through a link is still one project)."""
    return (Path(os.path.abspath(folder)).parent, Path(os.path.realpath(folder)).parent)


def read_limited(
    path: Path, shown: str, limit: int, problems: Collector, roots: tuple[Path, ...] = ()
) -> bytes | None:
    """The bytes of `path` (reported as `shown`), or None with the reason recorded: not there, a broken
    link, a link leaving `roots`, not a regular file, larger than `limit` bytes, or unreadable."""
    try:
        own = os.lstat(path)
    except OSError as error:
        problems.add(shown, 1, 1, f"cannot read the file ({error.strerror})")
        return None
    if stat.S_ISLNK(own.st_mode):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            problems.add(
                shown, 1, 1, f"the file is a broken link (to {os.readlink(path)})", "fix or remove the link"
            )
            return None
        if roots and not _inside(target, roots):
            problems.add(
                shown,
                1,
                1,
                f"the file is a link to {target}, outside the project folder",
                "copy the file into the project; links may only point inside it",
            )
            return None
    try:
        before = os.stat(path)
    except OSError as error:
        problems.add(shown, 1, 1, f"cannot read the file ({error.strerror})")
        return None
    if not stat.S_ISREG(before.st_mode):
        problems.add(shown, 1, 1, f"the path is {_kind(before.st_mode)}, not a file", "put a file here")
        return None
    if before.st_size > limit:
        problems.add(
            shown,
            1,
            1,
            f"the file is {before.st_size / MIB:.1f} MiB; at most {_size(limit)} is read",
            "split it, or remove what the scores do not use",
        )
        return None
    try:
        # non-blocking, so that a file swapped for a pipe after the check cannot hang the open
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        problems.add(shown, 1, 1, f"cannot read the file ({error.strerror})")
        return None
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            problems.add(shown, 1, 1, f"the path is {_kind(opened.st_mode)}, not a file", "put a file here")
            return None
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            problems.add(shown, 1, 1, f"cannot read the file ({error.strerror})")
            return None
    if len(raw) > limit:  # grew after the check
        problems.add(shown, 1, 1, f"the file is larger than {_size(limit)}; at most that is read")
        return None
    return raw
