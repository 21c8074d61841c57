"""One build per output folder at a time: a lock file in the folder, held for the whole build.

Two builds into one folder would each load the manifest, then save their own copy over the
other's (and the second's start-up clean-up would delete the first's staged files). So a build
holds ``<out>/.build.lock`` from before it reads the manifest until it has written the index. A
second build into the same folder waits for it (saying once which build it waits for), then
reads the manifest the first one left, so both builds' reports are listed.

The lock is ``fcntl.flock`` on an open file: the kernel releases it when the process ends, however
it ends, so a killed build never leaves a stale lock. The file stays (removing a lock file races
with a build about to take it); it holds the holder's PID and start time, for the message only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".build.lock"


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says: 'the build with PID n started at t'."""
    try:
        pid, _, started = os.pread(fd, 200, 0).decode("utf-8", "replace").strip().partition(" ")
    except OSError:
        pid = ""
    if not pid.isdigit():  # the holder has not written its line yet
        return "another build"
    return f"the build with PID {pid} started at {started or 'an unknown time'}"


@contextlib.contextmanager
def output_lock(out_dir: Path, say: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the build lock of ``out_dir`` for the ``with`` block, waiting for another build."""
    fd = os.open(Path(out_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
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
