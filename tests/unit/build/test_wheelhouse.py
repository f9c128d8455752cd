"""The wheelhouse: platform tags of the target, build arguments, a loopback server."""

from __future__ import annotations

from pathlib import Path

from dockbuild.build import plan, wheelhouse


def test_wheel_platform_tags_follow_the_target() -> None:
    amd = wheelhouse.platform_tags("linux/amd64", "bookworm")
    assert amd[0] == "manylinux_2_36_x86_64" and "manylinux2014_x86_64" in amd
    arm = wheelhouse.platform_tags("linux/arm64", "trixie")
    assert arm[0] == "manylinux_2_41_aarch64" and all("aarch64" in tag for tag in arm)
    assert wheelhouse.folder_name("3.13", "linux/arm64") == "py3.13-aarch64"
    args = wheelhouse.build_args("http://127.0.0.1:1", "3.11", "linux/amd64")
    assert args == {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "http://127.0.0.1:1/py3.11-x86_64/"}
    assert set(args) == set(plan.TRANSPORT_ARGS)


def test_wheelhouse_is_served_on_loopback_only(tmp_path: Path) -> None:
    import urllib.request

    (tmp_path / "py3.11-x86_64").mkdir()
    (tmp_path / "py3.11-x86_64" / "a-1-py3-none-any.whl").write_bytes(b"w")
    with wheelhouse.serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/py3.11-x86_64/") as page:
            assert b"a-1-py3-none-any.whl" in page.read()
