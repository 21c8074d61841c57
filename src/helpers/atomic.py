"""Write files whole or not at all: one helper for the whole package.

A file is written to a temporary file in the same folder and moved into place with
``os.replace`` (atomic within one folder), so a process killed or failing half-way through
leaves the previous good file in place and no temporary file behind.

:func:`stage` writes the temporary file and returns it without moving it into place: callers
that must move several files together (a report's HTML and PDF, see
:mod:`helpers.build.record`) stage each, then commit them as one. :func:`atomic_write_folder`
does the same for a whole folder of tables (``data/care-services``).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "atomic_write",
    "atomic_write_folder",
    "atomic_write_bytes",
    "atomic_write_text",
    "new_file_mode",
    "public",
    "stage",
]


def new_file_mode() -> int:
    """The permissions a new file gets under the process's umask (0o644 under umask 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def public(path: Path) -> None:
    """Give ``path`` a new file's permissions (a file from mkstemp is private to its owner)."""
    os.chmod(path, new_file_mode())


def stage(path: Path, write: Callable[[Path], None]) -> Path:
    """Write a temporary file beside ``path`` (``.<name>.<random>.tmp<suffix>``) and return it.

    ``write`` is called with the temporary path and must write the whole file there. The file
    gets the permissions a new file would (mkstemp makes it private). On any error, or a
    ``KeyboardInterrupt``, the temporary file is removed and the error raised.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The suffix keeps the extension: Chromium reads a staged page as HTML only if it ends .html.
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        public(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` through a temporary file in the same folder, then move it into place.

    Parameters
    ----------
    path
        The file to (re)write.
    write
        Called with the temporary path; must write the whole file there.

    Returns
    -------
    Path
        ``path``.
    """
    tmp = stage(path, write)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Path(path)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; see :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; see :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def _swap_in(tmp: Path, dest: Path, old: Path) -> None:
    """Put the folder ``tmp`` in place of ``dest``: one atomic exchange where the system has it
    (a reader sees the old folder or the new one, never none); else two renames, with the old
    folder kept as ``old`` in between, which the next write puts back."""
    if dest.exists() and _exchange(tmp, dest):
        shutil.rmtree(tmp)  # now the old folder
        return
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def atomic_write_folder(dest: str | Path, write: Callable[[Path], None]) -> Path:
    """Replace the folder ``dest`` whole or not at all.

    ``write`` is called with a new, empty folder beside ``dest`` (``.<name>.<random>``) and
    must write everything there, raising if the result is not good; the new folder is then
    swapped in. A failure or a kill leaves the old folder as it was; the temporary folders of a
    killed run (``.<name>.*``) are removed, and a folder left aside between two renames put
    back, by the next write.

    Returns
    -------
    Path
        ``dest``.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = dest.with_name(f".{dest.name}.old")
    if old.exists() and not dest.exists():
        old.rename(dest)  # a run killed between two renames
    for stale in dest.parent.glob(f".{dest.name}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
    try:
        write(tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes it private to its owner; a data folder is not
        _swap_in(tmp, dest, old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not dest.exists():
            old.rename(dest)
        raise
    return dest
