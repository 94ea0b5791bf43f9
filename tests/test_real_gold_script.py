"""scripts/real_gold.py split: a batch adds to the gold files and never touches the frozen test
split by accident (an annotator once kept a test-bucket page)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "real_gold.py"


@pytest.fixture
def tool(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("real_gold", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "GOLD_DIR", tmp_path / "gold")
    monkeypatch.setattr(module, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(module, "RESERVED", tmp_path / "reserved.sha256")
    (tmp_path / "gold").mkdir()
    (tmp_path / "cache" / "all").mkdir(parents=True)
    return module


def url_in(tool, bucket: str, start: int = 0) -> str:
    return next(u for n in range(start, 1000) if tool.split_of(u := f"https://news.example/story-{n}") == bucket)


def line(tool, url: str, text: str = "Chile summoned the Peruvian ambassador.") -> dict:
    record = {"id": tool.article_id(url), "url": url, "query": "chile peru envoy", "outlet": "news.example",
              "published": "2024-03-14", "relevant": False, "incidents": []}
    (tool.CACHE / "all" / f"{record['id']}.txt").write_text(text, encoding="utf-8")
    return record


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ids(path: Path) -> list[str]:
    return [json.loads(row)["id"] for row in path.read_text().splitlines()]


def test_a_batch_adds_to_the_gold_and_a_test_bucket_line_is_skipped(tool, tmp_path, capsys):
    old_dev, old_test = line(tool, url_in(tool, "dev")), line(tool, url_in(tool, "test"))
    tool.split([write(tmp_path / "first.jsonl", [old_dev, old_test])], change_test=True)
    frozen = (tool.GOLD_DIR / "real_test.jsonl").read_bytes()
    new_dev = line(tool, url_in(tool, "dev", start=500))
    stray = line(tool, url_in(tool, "test", start=500))
    tool.split([write(tmp_path / "batch.jsonl", [new_dev, stray])])
    # the earlier dev line stays although the batch does not repeat it, and the test split is unchanged
    assert sorted(ids(tool.GOLD_DIR / "real_dev.jsonl")) == sorted([old_dev["id"], new_dev["id"]])
    assert (tool.GOLD_DIR / "real_test.jsonl").read_bytes() == frozen
    assert "test split is frozen" in capsys.readouterr().err


def test_the_gold_files_passed_back_as_batches_change_nothing(tool, tmp_path):
    records = [line(tool, url_in(tool, "dev")), line(tool, url_in(tool, "test"))]
    tool.split([write(tmp_path / "first.jsonl", records)], change_test=True)
    before = {name: (tool.GOLD_DIR / f"real_{name}.jsonl").read_bytes() for name in ("dev", "test")}
    tool.split([tool.GOLD_DIR / "real_dev.jsonl", tool.GOLD_DIR / "real_test.jsonl"])
    assert {name: (tool.GOLD_DIR / f"real_{name}.jsonl").read_bytes() for name in ("dev", "test")} == before
