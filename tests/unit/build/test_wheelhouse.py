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
    args = wheelhouse.build_args()
    assert args == {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/wheels"}  # inside the build only
    assert set(args) == set(plan.TRANSPORT_ARGS)


def test_every_pip_run_mounts_the_wheelhouse_context_and_copies_no_wheel(repo_root: Path) -> None:
    from dockbuild.inputs import manifest

    loaded = manifest.load(repo_root)
    for spec in [loaded.base, *loaded.services.values()]:
        text = (repo_root / spec.dockerfile).read_text()
        assert f"FROM scratch AS {wheelhouse.CONTEXT}" in text, spec.dockerfile
        assert f"from={wheelhouse.CONTEXT},target={wheelhouse.MOUNT_POINT}" in text
        assert "COPY --from=wheels" not in text and "--network" not in text
