"""write_atomically: the file holds the old content or the new, never a part, and no temp
file is left behind."""

import os

import pytest

from pipeline.storage.atomic import write_atomically


def test_text_is_written_as_utf8_and_bytes_as_given(tmp_path):
    target = tmp_path / "notes.txt"
    write_atomically(target, "Démarche über Tiflis\n")
    assert target.read_bytes() == "Démarche über Tiflis\n".encode("utf-8")
    write_atomically(target, b"\x00\x01raw")
    assert target.read_bytes() == b"\x00\x01raw"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_failed_swap_keeps_the_old_file_and_removes_the_temp(tmp_path, monkeypatch):
    target = tmp_path / "gold.jsonl"
    target.write_text("old line\n", encoding="utf-8")

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, "new line\n")
    assert target.read_text(encoding="utf-8") == "old line\n"
    assert [p.name for p in tmp_path.iterdir()] == ["gold.jsonl"]
