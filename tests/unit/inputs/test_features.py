"""BuildKit features a Dockerfile uses, with their lines, and which BuildKit builds them."""

from __future__ import annotations

from dockbuild.inputs import dockerfile, features

TEXT = """\
FROM debian:bookworm AS wheels
FROM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt apt-get update
RUN --mount=type=secret,id=token cat /run/secrets/token
RUN --mount=from=wheels,target=/w ls /w
COPY --link --chmod=0755 run.sh /run.sh
RUN <<EOF
echo heredoc
EOF
ADD --checksum=sha256:00 https://example.org/a.tgz /a.tgz
"""


def test_every_feature_is_found_on_its_line() -> None:
    found = list(features.used(dockerfile.parse(TEXT, "Dockerfile")))
    assert found == [(features.CACHE_MOUNT, 3), (features.SECRET_MOUNT, 4),
                     (features.BIND_MOUNT, 5),  # a mount without type= is a bind mount
                     (features.COPY_LINK, 6), (features.CHMOD, 6), (features.HEREDOC, 7),
                     (features.ADD_CHECKSUM, 10)]


def test_buildkit_08_lacks_heredocs_link_and_chmod_but_has_mounts() -> None:
    missing = features.missing(dockerfile.parse(TEXT, "Dockerfile"), (0, 8))
    assert [(f.name, line) for f, line in missing] == [
        ("COPY --link", 6), ("COPY/ADD --chmod", 6), ("heredoc", 7), ("ADD --checksum", 10)]
    assert features.missing(dockerfile.parse(TEXT, "Dockerfile"), (0, 13)) == []


def test_the_engine_release_decides_its_built_in_buildkit() -> None:
    assert features.engine_buildkit((20, 10)) == (0, 8)
    assert features.engine_buildkit((26, 1)) == (0, 13)
    assert features.engine_buildkit((29, 0)) == (0, 20)  # newer than the table: its newest
    assert features.engine_buildkit((19, 3)) is None
