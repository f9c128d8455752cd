"""The builder: the docker CLI command equivalent to a build, for the log."""

from __future__ import annotations


def test_the_equivalent_cli_command_is_logged_verbatim() -> None:
    from dockbuild.build import builder

    line = builder.cli_equivalent(dockerfile="docker/api/Dockerfile", platform="linux/arm64",
                                  buildargs={"BASE_IMAGE": "academy-base:py3.11-arm64"},
                                  labels={"dockbuild.inputs": "h"}, network_mode="host",
                                  nocache=True)
    assert line == ("docker build --platform linux/arm64 -f docker/api/Dockerfile --rm --force-rm"
                    " --network host --no-cache --build-arg BASE_IMAGE=academy-base:py3.11-arm64"
                    " --label dockbuild.inputs=h .")
