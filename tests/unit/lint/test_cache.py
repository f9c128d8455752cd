"""The lint cache: entries round-trip, stale or broken ones are misses, a disabled one is empty."""

from __future__ import annotations

from pathlib import Path

from dockbuild.lint import cache


def test_an_entry_round_trips_and_a_missing_one_is_none(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path)
    store.put("hadolint", "k", [{"code": "DL3003"}])
    assert store.get("hadolint", "k") == [{"code": "DL3003"}]
    assert store.get("hadolint", "other") is None
    assert (tmp_path / ".cache/lint/hadolint/k.json").is_file()


def test_an_entry_of_another_format_or_broken_json_is_a_miss(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path)
    store.put("runs", "k", {"a": 1})
    assert store.get("runs", "k") == {"a": 1, "format": cache.FORMAT}
    (tmp_path / ".cache/lint/runs/k.json").write_text('{"a": 1, "format": "0"}')
    assert store.get("runs", "k") is None
    (tmp_path / ".cache/lint/runs/k.json").write_text("{not json")
    assert store.get("runs", "k") is None


def test_a_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    store = cache.LintCache(tmp_path, enabled=False)
    store.put("runs", "k", {"a": 1})
    assert store.get("runs", "k") is None
    assert not (tmp_path / ".cache").exists()


def test_the_digest_delimits_its_parts() -> None:
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest("a", b"b") == cache.digest(b"a", "b")
    assert cache.code_fingerprint() == cache.code_fingerprint()
