"""helpers.cache: one memo keyed on the stamps of the files a result comes from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.cache import cached_on, folder_files


@pytest.fixture
def reads():
    """A cached reader of a file's text, and the list of the reads it really made."""
    made: list[str] = []

    @cached_on(lambda file: [file], maxsize=2)
    def text(file: Path) -> str:
        made.append(file.name)
        return file.read_text()

    return text, made


def test_unchanged_file_is_read_once(tmp_path, reads):
    text, made = reads
    file = tmp_path / "a.txt"
    file.write_text("one")
    assert text(file) == text(file) == "one"
    assert made == ["a.txt"]


def test_rewrite_with_old_size_and_mtime_is_read_again(tmp_path, reads):
    text, made = reads
    file = tmp_path / "a.txt"
    file.write_text("one")
    assert text(file) == "one"
    before = file.stat()
    file.write_text("two")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (file.stat().st_size, file.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert text(file) == "two"


def test_a_failed_call_keeps_nothing(tmp_path, reads):
    text, made = reads
    file = tmp_path / "a.txt"
    file.write_text("one")
    assert text(file) == "one"
    file.unlink()
    for _ in range(2):
        with pytest.raises(FileNotFoundError):
            text(file)  # never the text read before
    assert made == ["a.txt"] * 3
    assert text.cache_len() == 0


def test_at_most_maxsize_argument_sets_are_kept(tmp_path, reads):
    text, made = reads
    files = [tmp_path / f"{n}.txt" for n in "abc"]
    for file in files:
        file.write_text(file.stem)
        text(file)
    assert text.cache_len() == 2
    text(files[0])  # the oldest went first: read again
    assert made == ["a.txt", "b.txt", "c.txt", "a.txt"]


def test_a_file_added_to_a_folder_is_a_change(tmp_path):
    @cached_on(lambda folder: folder_files(folder, "*.csv"))
    def names(folder: Path) -> list[str]:
        return [p.name for p in folder_files(folder, "*.csv")]

    assert names(tmp_path) == []
    (tmp_path / "x.csv").write_text("x")
    assert names(tmp_path) == ["x.csv"]
