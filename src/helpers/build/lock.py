"""One build per output folder at a time: a lock file in the folder, held for the whole build.

Two builds into one folder would each load the manifest, then save their own copy over the
other's (and the second's start-up clean-up would delete the first's staged files). So a build
holds ``<out>/.build.lock`` from before it reads the manifest until it has written the index. A
second build into the same folder waits for it (saying once which build it waits for), then
reads the manifest the first one left, so both builds' reports are listed.

The lock is ``fcntl.flock`` on an open file: the kernel releases it when the process ends, however
it ends, so a killed build never leaves a stale lock. The file stays (removing a lock file races
with a build about to take it); it holds the holder's PID and start time, for the message only.

The lock file is opened without following a symbolic link (``O_NOFOLLOW``) and must be a regular
file: a link planted in its place, a folder, a FIFO or a file the build may not open stops the
build with one line naming it (:class:`LockFileError`), and no other file is ever written.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".build.lock"
#: How the lock file is opened: never through a symbolic link, never as a terminal, never
#: waiting (a FIFO would block an open), never left open in a child process.
_FLAGS = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NOCTTY | os.O_NONBLOCK


class LockFileError(Exception):
    """The build's lock file cannot be used: a link, not a regular file, or cannot be opened."""


def _open(path: Path) -> int:
    """The lock file, opened for reading and writing, created if missing (a regular file).

    Raises
    ------
    LockFileError
        Naming the file and why, if it is a symbolic link, anything but a regular file, or
        cannot be opened (no permission, say).
    """
    why = "remove or rename it, or choose another --out folder"
    try:
        fd = os.open(path, _FLAGS, 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:  # O_NOFOLLOW's answer to a link
            what = "is a symbolic link (the lock file is never followed through one)"
        elif err.errno == errno.EISDIR:
            what = "is a folder, not a file"
        else:
            what = f"cannot be opened ({err.strerror})"
        raise LockFileError(f"the build's lock file {path} {what}: {why}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise LockFileError(f"the build's lock file {path} is not a regular file: {why}")
    return fd


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says: 'the build with PID n started at t'."""
    try:
        pid, _, started = os.pread(fd, 200, 0).decode("utf-8", "replace").strip().partition(" ")
    except OSError:
        pid = ""
    if not pid.isdigit():  # the holder has not written its line yet
        return "another build"
    return f"the build with PID {pid} started at {started or 'an unknown time'}"


def output_lock(out_dir: Path, say: Callable[[str], None] = print):
    """The build lock of ``out_dir``, to hold for a ``with`` block (waiting for another build).

    The lock file is opened at once, so a lock file that cannot be used is refused before
    anything else starts.

    Raises
    ------
    LockFileError
        If ``<out_dir>/.build.lock`` is a symbolic link, not a regular file or cannot be opened
        (see :func:`_open`); nothing is written then.
    """
    return _held(_open(Path(out_dir) / LOCK_NAME), out_dir, say)


@contextlib.contextmanager
def _held(fd: int, out_dir: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock on ``fd`` for the ``with`` block; close it (releasing the lock) after."""
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"Waiting for {_holder(fd)} to finish writing to {out_dir} ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        with contextlib.suppress(OSError):  # only for the message: a full disk must not stop us
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {started}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
