"""Hadolint shared out over processes: the same findings as one process, work split evenly."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.lint import hadolint

CLEAN = "FROM debian:12.5\nRUN echo {n}\n"
#: DL3008 (apt without versions), DL3015 (no --no-install-recommends), DL3009 (lists kept)
DIRTY = "FROM debian:12.5\nRUN apt-get update && apt-get install -y curl{n}\n"


def _files(root: Path, count: int) -> list[str]:
    names = []
    for n in range(count):
        name = f"s{n:02d}/Dockerfile"
        (root / name).parent.mkdir()
        (root / name).write_text((DIRTY if n % 3 == 0 else CLEAN).format(n=n) + "# pad\n" * n)
        names.append(name)
    return names


def test_shares_cover_every_file_once_in_order_and_balance_bytes(tmp_path: Path) -> None:
    files = _files(tmp_path, 48)
    parts = hadolint.shares(tmp_path, files, 2)
    assert len(parts) == 2
    assert sorted(n for part in parts for n in part) == sorted(files)
    for part in parts:
        assert part == [n for n in files if n in part]  # the files' order kept
    loads = [sum((tmp_path / n).stat().st_size for n in part) for part in parts]
    assert max(loads) - min(loads) <= max((tmp_path / n).stat().st_size for n in files)


@pytest.mark.parametrize(("count", "cores", "expected"), [(10, 4, 1), (40, 4, 2), (40, 1, 1),
                                                          (200, 4, 4)])
def test_no_process_gets_fewer_than_the_minimum(tmp_path: Path, count: int, cores: int,
                                                 expected: int) -> None:
    files = _files(tmp_path, count)
    assert len(hadolint.shares(tmp_path, files, cores)) == expected


def test_a_missing_file_still_gets_a_share(tmp_path: Path) -> None:
    files = [*_files(tmp_path, 31), "gone/Dockerfile"]
    assert sorted(n for part in hadolint.shares(tmp_path, files, 2) for n in part) == \
        sorted(files)


def test_split_findings_are_the_single_process_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real binary: two processes of one capability report exactly what one reports."""
    files = _files(tmp_path, 40)
    monkeypatch.setattr(hadolint, "cores", lambda: 1)
    single = hadolint.Run(tmp_path, files, None).result()
    monkeypatch.setattr(hadolint, "cores", lambda: 2)
    assert len(hadolint.shares(tmp_path, files, hadolint.cores())) == 2
    split = hadolint.Run(tmp_path, files, None).result()
    assert split == single
    assert {f["code"] for found in split.values() for f in found} >= {"DL3008", "DL3015"}
    assert sum(bool(found) for found in split.values()) == 14  # every third file
