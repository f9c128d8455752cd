"""The lint cache: entries round-trip, stale or broken ones are misses, a disabled one is empty."""

from __future__ import annotations

import json
from pathlib import Path

from dockbuild.lint import cache


def test_an_entry_round_trips_and_a_missing_one_is_none(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path)
    store.put("hadolint", "k", [{"code": "DL3003"}])
    assert store.read("hadolint", "k", list) == [{"code": "DL3003"}]
    assert store.read("hadolint", "other", list) is None
    assert (tmp_path / ".cache/lint/hadolint/k.json").is_file()


def test_an_entry_of_another_format_or_broken_json_is_a_miss(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path)
    store.put("runs", "k", {"a": 1})
    assert store.read("runs", "k", dict) == {"a": 1, "format": cache.FORMAT}
    (tmp_path / ".cache/lint/runs/k.json").write_text('{"a": 1, "format": "0"}')
    assert store.read("runs", "k", dict) is None
    (tmp_path / ".cache/lint/runs/k.json").write_text("{not json")
    assert store.read("runs", "k", dict) is None


def test_a_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path, enabled=False)
    store.put("runs", "k", {"a": 1})
    assert store.read("runs", "k", dict) is None
    assert not (tmp_path / ".cache").exists()


def test_the_digest_delimits_its_parts() -> None:
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest("a", b"b") == cache.digest(b"a", "b")
    assert cache.code_fingerprint() == cache.code_fingerprint()


def test_an_entry_its_reader_cannot_decode_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path)
    entry = tmp_path / ".cache/lint/image/k.json"
    checks = lambda e: [r["check"] for r in e["records"]]  # noqa: E731
    for wrong in ("5", "[1, 2]", json.dumps({"records": 5, "format": cache.FORMAT})):
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(wrong)
        assert store.read("image", "k", checks) is None
        assert not entry.exists()  # the run that follows writes it anew
    entry.write_text('{"py3.11-amd64": 5}')  # no format field: an entry of another version
    assert store.read("image", "k", checks) is None
    store.put("image", "k", {"records": [{"check": "DF101"}]})
    assert store.read("image", "k", checks) == ["DF101"]


def test_no_cache_reads_nothing_but_stores_what_it_found(tmp_path: Path) -> None:
    cache.LintCache(tmp_path).put("runs", "k", 5)
    fresh = cache.LintCache(tmp_path, reads=False)
    assert fresh.read("runs", "k", int) is None
    fresh.put("runs", "k", {"a": 1})
    assert cache.LintCache(tmp_path).read("runs", "k", dict) == {"a": 1, "format": cache.FORMAT}


def test_a_sealed_entry_holds_exactly_the_bytes_put_wrote(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path)
    seal = store.put("runs", "r", [{"check": "DF101"}])
    assert store.sealed("runs", "r", seal)
    (tmp_path / ".cache/lint/runs/r.json").write_text("[1, 2]")
    assert not store.sealed("runs", "r", seal)
    assert not store.sealed("runs", "missing", seal)
