"""The BuildKit features a Dockerfile uses, each with its line and the BuildKit that has it (pure).

The engine's built-in Dockerfile frontend decides what builds: dockerd 20.10
carries BuildKit 0.8 (cache, secret and bind mounts, but no heredocs, no
``COPY --link`` or ``--chmod``). A build checks the features first, so a
Dockerfile the engine cannot build fails before anything runs, on its line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from dockbuild.inputs.dockerfile import Dockerfile


@dataclasses.dataclass(frozen=True, slots=True)
class Feature:
    """One Dockerfile feature and the first BuildKit release whose built-in frontend has it."""

    name: str
    since: tuple[int, int]

    @property
    def since_text(self) -> str:
        """Return the release as text, e.g. ``0.10``."""
        return f"{self.since[0]}.{self.since[1]}"


HEREDOC = Feature("heredoc", (0, 10))
CACHE_MOUNT = Feature("RUN --mount=type=cache", (0, 8))
SECRET_MOUNT = Feature("RUN --mount=type=secret", (0, 8))
BIND_MOUNT = Feature("RUN --mount=type=bind", (0, 8))
SSH_MOUNT = Feature("RUN --mount=type=ssh", (0, 8))
TMPFS_MOUNT = Feature("RUN --mount=type=tmpfs", (0, 8))
COPY_LINK = Feature("COPY --link", (0, 10))
CHMOD = Feature("COPY/ADD --chmod", (0, 9))
ADD_CHECKSUM = Feature("ADD --checksum", (0, 12))
#: Every feature, in the order ``inv doctor`` lists them.
ALL = (HEREDOC, CACHE_MOUNT, SECRET_MOUNT, BIND_MOUNT, SSH_MOUNT, TMPFS_MOUNT, COPY_LINK, CHMOD,
       ADD_CHECKSUM)
#: Not a Dockerfile feature: one build for several platforms (also needs the containerd store).
MULTI_PLATFORM_SINCE = (0, 10)
MOUNTS = {"cache": CACHE_MOUNT, "secret": SECRET_MOUNT, "bind": BIND_MOUNT, "ssh": SSH_MOUNT,
          "tmpfs": TMPFS_MOUNT}

#: The BuildKit built into each dockerd release (moby's vendored version), oldest first.
ENGINE_BUILDKIT = (((20, 10), (0, 8)), ((23, 0), (0, 10)), ((24, 0), (0, 11)),
                   ((25, 0), (0, 12)), ((26, 0), (0, 13)), ((27, 0), (0, 14)),
                   ((27, 1), (0, 15)), ((27, 4), (0, 17)), ((28, 0), (0, 20)))


def engine_buildkit(engine: tuple[int, int]) -> tuple[int, int] | None:
    """Return the BuildKit built into a dockerd release, or None when older than 20.10."""
    found = None
    for release, buildkit in ENGINE_BUILDKIT:
        if engine >= release:
            found = buildkit
    return found


def mount_type(flag: str) -> str:
    """Return the type of a ``--mount=...`` flag's value (BuildKit's default: bind)."""
    for part in flag.split(","):
        key, _, value = part.partition("=")
        if key.strip() == "type":
            return value.strip()
    return "bind"


def used(dockerfile: Dockerfile) -> Iterator[tuple[Feature, int]]:
    """Yield each feature the Dockerfile uses with the line of the instruction that uses it."""
    for instruction in dockerfile.instructions:
        if instruction.heredocs:
            yield HEREDOC, instruction.line
        for flag in instruction.flags:
            key, _, value = flag.partition("=")
            if instruction.keyword == "RUN" and key == "--mount":
                feature = MOUNTS.get(mount_type(value))
                if feature is not None:
                    yield feature, instruction.line
            elif instruction.keyword in ("COPY", "ADD") and key == "--chmod":
                yield CHMOD, instruction.line
            elif instruction.keyword == "COPY" and key == "--link":
                yield COPY_LINK, instruction.line
            elif instruction.keyword == "ADD" and key == "--checksum":
                yield ADD_CHECKSUM, instruction.line


def missing(dockerfile: Dockerfile, buildkit: tuple[int, int]) -> list[tuple[Feature, int]]:
    """Return the features (with lines) that a BuildKit of version ``buildkit`` cannot build."""
    return [(feature, line) for feature, line in used(dockerfile) if feature.since > buildkit]
