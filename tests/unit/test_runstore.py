"""Stored results: merged image by image within a variant, each image's entry with its id."""

from __future__ import annotations

import json
from pathlib import Path

from dockbuild import runstore
from dockbuild.evidence import Evidence, Requirement, Severity, Status


def _record(subject: str, image_id: str, name: str = "built") -> Evidence:
    return Evidence(check="build", subject=subject, status=Status.PASS, severity=Severity.INFO,
                    location=None, message=name, requirement=Requirement("빌드", "build"),
                    name=name, variant="py3.11-amd64", image_id=image_id, revision="abc123",
                    produced_at="2026-01-01T00:00:00+00:00")


def test_a_run_of_one_image_keeps_the_other_images_records(tmp_path: Path) -> None:
    base, api, video = (_record("academy-base", "sha256:b"), _record("academy-api", "sha256:a1"),
                        _record("academy-video-worker", "sha256:v"))
    runstore.save(tmp_path, "build", "py3.11-amd64", [base, api, video])
    rebuilt = _record("academy-api", "sha256:a2")
    runstore.save(tmp_path, "build", "py3.11-amd64", [rebuilt])
    assert runstore.records(tmp_path, "build") == {"py3.11-amd64": [base, rebuilt, video]}


def test_each_image_entry_keeps_its_image_id_and_other_variants_stay(tmp_path: Path) -> None:
    runstore.save(tmp_path, "image-test", "py3.13-amd64", [_record("academy-api", "sha256:x")])
    runstore.save(tmp_path, "image-test", "py3.11-amd64", [_record("academy-api", "sha256:a")])
    data = runstore.load(tmp_path, "image-test")
    assert set(data) == {"py3.11-amd64", "py3.13-amd64"}
    (entry,) = data["py3.11-amd64"]["images"]
    assert (entry["subject"], entry["image_id"]) == ("academy-api", "sha256:a")
    (stored,) = runstore.records(tmp_path, "image-test")["py3.11-amd64"]
    assert (stored.image_id, stored.revision, stored.produced_at) == (
        "sha256:a", "abc123", "2026-01-01T00:00:00+00:00")


def test_a_file_of_the_older_flat_shape_is_read_and_merged_into(tmp_path: Path) -> None:
    old = _record("academy-base", "")
    path = tmp_path / runstore.FOLDER / "build.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"py3.11-amd64": {"saved": "then", "records": [old.to_dict()]}}),
                    encoding="utf-8")
    assert runstore.records(tmp_path, "build") == {"py3.11-amd64": [old]}
    api = _record("academy-api", "sha256:a")
    runstore.save(tmp_path, "build", "py3.11-amd64", [api])
    assert runstore.records(tmp_path, "build") == {"py3.11-amd64": [old, api]}
