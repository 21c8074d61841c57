"""One way to keep what was read from files until a file changes: :func:`cached_on`.

A long-lived process (a JupyterLab kernel, the build's zygote) asks for the same tables many
times; each cache here keeps a result with the *stamps* of the files it came from
(:func:`helpers.paths.file_stamp`: inode, size, modification and change times) and reads them
again when any stamp differs. The change time cannot be put back, so a file rewritten with its
old size and modification time (``cp -p``, ``rsync -a``, ``os.utime``) is noticed; a file added
to or removed from a listed folder changes the list of stamps.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ParamSpec, TypeVar

from helpers import paths

P = ParamSpec("P")
T = TypeVar("T")


def stamps(files: Iterable[Path | str]) -> tuple:
    """``(path, stamp)`` of each file, in the order given; the stamp of a file that is missing
    (or of a folder) is ``None``, so that its appearing is a change too."""
    out = []
    for file in files:
        try:
            stamp = paths.file_stamp(Path(file))
        except (FileNotFoundError, NotADirectoryError):
            stamp = None
        out.append((str(file), stamp))
    return tuple(out)


def folder_files(folder: Path | str, pattern: str = "*") -> list[Path]:
    """The files of ``folder`` matching ``pattern``, sorted; ``[folder]`` itself when it is
    not a folder (its stamp is then ``None`` until it appears)."""
    folder = Path(folder)
    return sorted(folder.glob(pattern)) if folder.is_dir() else [folder]


def cached_on(
    files: Callable[P, Iterable[Path | str]], maxsize: int = 4
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Memoise a function on its arguments and the stamps of the files it reads.

    Parameters
    ----------
    files
        Called with the function's own arguments: the files the result depends on.
    maxsize
        How many argument sets to keep (the least recently used goes first). One result is
        kept per argument set: a changed file replaces it.

    The stamps are taken *before* the function runs, so a file changed while it runs is read
    again on the next call. A call that raises keeps nothing (and drops what was kept for those
    arguments). Every caller gets the same object: it must not be changed. The function gains
    ``cache_clear()`` and ``cache_len()`` (how many results are kept).

    Examples
    --------
    >>> @cached_on(lambda name: [name])
    ... def size(name):
    ...     return len(Path(name).read_bytes())
    """

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        memo: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            key = (args, tuple(sorted(kwargs.items())))
            stamp = stamps(files(*args, **kwargs))
            with lock:
                kept = memo.get(key)
                if kept is not None and kept[0] == stamp:
                    memo.move_to_end(key)
                    return kept[1]
            try:
                value = function(*args, **kwargs)
            except BaseException:
                with lock:
                    memo.pop(key, None)
                raise
            with lock:
                memo[key] = (stamp, value)
                memo.move_to_end(key)
                while len(memo) > maxsize:
                    memo.popitem(last=False)
            return value

        wrapper.cache_clear = memo.clear  # type: ignore[attr-defined]
        wrapper.cache_len = memo.__len__  # type: ignore[attr-defined]
        return wrapper

    return decorate
