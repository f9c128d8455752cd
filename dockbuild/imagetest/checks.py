"""Checks every image must pass, derived from docker/services.yaml rather than written by hand.

Each problem and each passing message is a pair, (English, Korean): the record
carries both, so each language's report reads in one language.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from dockbuild.engine import images as engine_images
from dockbuild.errors import Location
from dockbuild.evidence import Evidence, Status
from dockbuild.imagetest import facts as imagefacts
from dockbuild.imagetest.cst import matching
from dockbuild.imagetest.results import FAIL, PASS, SKIP, outcome, timed
from dockbuild.inputs import secrets
from dockbuild.inputs.manifest import Image, Manifest

_SECRET_KEY = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)",
                         re.IGNORECASE)
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")

#: check id -> (requirement ko, requirement en)
REQUIREMENTS = {
    "image.user": ("매니페스트의 비root 사용자와 uid로 실행한다",
                   "runs as the manifest's non-root user and uid"),
    "image.workdir": ("WORKDIR가 매니페스트와 같다", "WORKDIR is the manifest's"),
    "image.path": ("PATH에 ~/.local/bin이 있다", "PATH holds ~/.local/bin"),
    "image.cmd": ("CMD가 매니페스트와 같다", "CMD is the manifest's"),
    "image.ports": ("EXPOSE 포트가 매니페스트와 같다", "exposed ports are the manifest's"),
    "image.apt": ("매니페스트의 apt 패키지가 설치되어 있다",
                  "the manifest's apt packages are installed"),
    "image.entry-module": ("엔트리 모듈을 import할 수 있다", "the entry module imports"),
    "image.app-ownership": ("/app 아래에 root 소유 파일이 없다",
                            "no file under /app is owned by root"),
    "image.setid": ("베이스 외의 setuid/setgid 파일이 없다",
                    "no setuid/setgid files beyond the base's"),
    "image.secrets": ("Env, 라벨, 히스토리에 비밀 값이 없다",
                      "no secrets in Env, labels or history"),
    "image.caches": ("패키지 캐시와 apt 목록이 남아 있지 않다",
                     "no package caches or apt lists left"),
    "image.size": ("이미지 크기가 매니페스트 예산 이내다",
                   "image size is within the manifest's budget"),
    "image.from-base": ("서비스 이미지는 같은 변형의 베이스 이미지에서 빌드된다",
                        "the service is built from the base image of the same variant"),
}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """One built image to check: its manifest record, its reference and its variant."""

    image: Image
    ref: str
    variant: str
    base_ref: str | None = None
    base_setid: tuple[str, ...] | None = None


def check(client: Any, manifest: Manifest, subject: Subject,
          labels: Mapping[str, str]) -> tuple[list[Evidence], dict[str, Any]]:
    """Run every manifest-derived check on one image; return the results and the root facts."""
    image, base = subject.image, manifest.base
    api = client.api
    info = api.inspect_image(subject.ref)
    config = info.get("Config") or {}
    module = _entry_module(image.cmd)
    with timed() as t_user:
        user = imagefacts.user_facts(client, subject.ref, module, labels)
    with timed() as t_root:
        root = imagefacts.root_facts(client, subject.ref, base.workdir, labels)
    results: list[Evidence] = []

    def add(check_id: str, problems: list[tuple[str, str]], ok: tuple[str, str], key: str,
            seconds: float = 0.0, status: Status | None = None) -> None:
        line = image.line_of(key) or (base.line_of(key) if key in _BASE_KEYS else None)
        english, korean = ("; ".join(p[n] for p in problems) for n in (0, 1))
        results.append(outcome(
            check=check_id, name=check_id.split(".", 1)[1], image=subject.ref,
            variant=subject.variant, status=status or (FAIL if problems else PASS),
            message=english if problems else ok[0], message_ko=korean if problems else ok[1],
            where=Location(manifest.path, line or image.where.line),
            requirement=REQUIREMENTS[check_id], duration_s=seconds))

    want = base.user
    problems = []
    if config.get("User", "") not in (want.name, str(want.uid), f"{want.name}:{want.gid}",
                                      f"{want.uid}:{want.gid}"):
        shown = config.get("User") or "(unset: root)"
        problems.append((f"USER is {shown!r}, expected {want.name!r}",
                         f"USER가 `{config.get('User') or 'root'}`"
                         + ("" if config.get("User") else " (미설정)")
                         + f": 기대값 `{want.name}`"))
    if (user["uid"], user["gid"]) != (want.uid, want.gid):
        problems.append((f"runs as uid {user['uid']} gid {user['gid']},"
                         f" expected {want.uid}:{want.gid}",
                         f"실행 uid `{user['uid']}` gid `{user['gid']}`:"
                         f" 기대값 `{want.uid}:{want.gid}`"))
    add("image.user", problems,
        (f"runs as {want.name} (uid {user['uid']}, gid {user['gid']})",
         f"실행 사용자 `{want.name}` (uid `{user['uid']}`, gid `{user['gid']}`)"),
        "user", t_user.seconds)
    workdir = config.get("WorkingDir", "")
    add("image.workdir",
        [] if workdir == base.workdir and user["cwd"] == base.workdir
        else [(f"WORKDIR is {workdir or '(unset)'!r}, expected {base.workdir!r}",
               (f"WORKDIR가 `{workdir}`" if workdir else "WORKDIR 미설정")
               + f": 기대값 `{base.workdir}`")],
        (f"WORKDIR {workdir}", f"`WORKDIR {workdir}` 있음"), "workdir")
    local_bin = f"{want.home}/.local/bin"
    add("image.path",
        [] if local_bin in user["path"].split(":") else
        [(f"PATH {user['path']!r} lacks {local_bin}",
          f"PATH `{user['path']}`에 `{local_bin}` 없음")],
        (f"PATH holds {local_bin}", f"PATH에 `{local_bin}` 있음"), "user")
    expected_cmd = list(image.cmd) if isinstance(image.cmd, tuple) else ["/bin/sh", "-c", image.cmd]
    actual_cmd = list(config.get("Cmd") or [])
    add("image.cmd", [] if actual_cmd == expected_cmd else
        [(f"CMD is {actual_cmd}, the manifest says {expected_cmd}",
          f"CMD가 `{actual_cmd}`: 매니페스트는 `{expected_cmd}`")],
        (f"CMD {actual_cmd}", f"`CMD {actual_cmd}`, 매니페스트와 같음"), "cmd")
    exposed = {p.split("/", 1)[0] for p in config.get("ExposedPorts") or {}}
    wanted_ports = {str(p) for p in image.ports}
    add("image.ports", [] if exposed == wanted_ports else
        [(f"exposes {sorted(exposed) or 'nothing'},"
          f" the manifest says {sorted(wanted_ports) or 'nothing'}",
          f"EXPOSE {_ports_ko(exposed)}: 매니페스트는 {_ports_ko(wanted_ports)}")],
        (f"exposes {sorted(exposed) or 'nothing'}", f"EXPOSE {_ports_ko(exposed)}"), "ports")
    missing = [p for p in image.apt if p not in root["packages"]]
    add("image.apt", [(f"apt package {p} is not installed (dpkg)",
                       f"apt 패키지 `{p}` 설치 안 됨 (dpkg)") for p in missing],
        (f"installed: {', '.join(image.apt) or '(none asked)'}",
         f"설치됨: {', '.join(f'`{p}`' for p in image.apt)}" if image.apt
         else "설치할 apt 패키지 없음"), "apt")
    if module:
        add("image.entry-module", [(f"`import {module}` fails: {user['module_error']}",
                                    f"`import {module}` 실패: `{user['module_error']}`")]
            if user["module_error"] else [],
            (f"{module} imports", f"`{module}` import 성공"), "cmd")
    owned = root["root_owned"]
    add("image.app-ownership",
        [(f"{len(owned)} file(s) under {base.workdir} owned by root, e.g. {', '.join(owned[:3])}",
          f"`{base.workdir}` 아래 root 소유 파일 {len(owned)}개, 예:"
          f" {', '.join(f'`{p}`' for p in owned[:3])}")]
        if owned else [],
        (f"nothing under {base.workdir} is owned by root",
         f"`{base.workdir}` 아래 root 소유 파일 없음"), "user")
    if subject.base_setid is None:
        add("image.setid", [], (f"{len(root['setid'])} setuid/setgid files (the base's)",
                                f"setuid/setgid 파일 {len(root['setid'])}개 (베이스의 것)"),
            "dockerfile", t_root.seconds)
    else:
        extra = sorted(set(root["setid"]) - set(subject.base_setid))
        add("image.setid", [(f"setuid/setgid file not in the base: {p}",
                             f"베이스에 없는 setuid/setgid 파일: `{p}`") for p in extra],
            ("no setuid/setgid files beyond the base's", "베이스 외 setuid/setgid 파일 없음"),
            "dockerfile", t_root.seconds)
    add("image.secrets", _secrets(config, api.history(subject.ref)),
        ("no secret found", "비밀값 없음"), "dockerfile")
    add("image.caches", [(f"{folder} is not empty: {', '.join(items[:3])}",
                          f"`{folder}`: 비어 있지 않음: {', '.join(f'`{i}`' for i in items[:3])}")
                         for folder, items in root["caches"].items()],
        ("no apt lists or package caches", "apt 목록·패키지 캐시 없음"), "apt")
    size_mb = engine_images.size_bytes(info, api=api, max_age_s=300) / 1e6
    if image.size_budget_mb is None:
        add("image.size", [], (f"{size_mb:.0f} MB (no budget)", f"{size_mb:.0f} MB (예산 없음)"),
            "size_budget_mb", status=SKIP)
    else:
        add("image.size", [] if size_mb <= image.size_budget_mb else
            [(f"{size_mb:.0f} MB exceeds the budget of {image.size_budget_mb} MB",
              f"{size_mb:.0f} MB: 예산 {image.size_budget_mb} MB 초과")],
            (f"{size_mb:.0f} MB of {image.size_budget_mb} MB",
             f"{size_mb:.0f} MB / 예산 {image.size_budget_mb} MB"), "size_budget_mb")
    if subject.base_ref is not None:
        add("image.from-base", _from_base(api, info, subject.base_ref),
            (f"its layers begin with {subject.base_ref}'s",
             f"레이어가 `{subject.base_ref}`의 레이어로 시작함"), "parent")
    return results, root


_BASE_KEYS = {"user", "workdir"}


def _ports_ko(ports: set[str]) -> str:
    return f"`{', '.join(sorted(ports))}`" if ports else "없음"


def _entry_module(cmd: tuple[str, ...] | str) -> str:
    """Return the module of a ``python -m MODULE`` CMD, or of gunicorn's ``MODULE:app``."""
    argv = list(cmd) if isinstance(cmd, tuple) else cmd.split()
    if "-m" in argv and argv.index("-m") + 1 < len(argv):
        return argv[argv.index("-m") + 1]
    if argv and argv[0].endswith("gunicorn"):
        for arg in argv[1:]:
            if ":" in arg and not arg.startswith("-") and not arg[0].isdigit():
                return arg.split(":", 1)[0]
    return ""


def _secrets(config: Mapping[str, Any], history: list[Mapping[str, Any]]
             ) -> list[tuple[str, str]]:
    """Return where secret-looking values appear: Env, labels, history (never the value itself).

    Each finding is (English, Korean).
    """
    found = []

    def looks(key: str, value: str) -> bool:
        named = bool(_SECRET_KEY.search(key)) and value not in ("", "-", "none", "false")
        return named or secrets.looks_secret(value)

    for key, value in matching.env_mapping(config.get("Env")).items():
        if looks(key, value):
            found.append((f"Env {key} holds a secret-looking value",
                          f"Env `{key}`에 비밀값처럼 보이는 값"))
    for key, value in (config.get("Labels") or {}).items():
        if looks(key, str(value)):
            found.append((f"label {key} holds a secret-looking value",
                          f"라벨 `{key}`에 비밀값처럼 보이는 값"))
    for layer in history:
        created_by = str(layer.get("CreatedBy", ""))
        # show the step, never the secret: values that look secret become ***
        shown = _ASSIGNMENT.sub(
            lambda m: f"{m.group(1)}=***" if looks(m.group(1), m.group(2)) else m.group(0),
            created_by)
        shown = secrets.mask(shown)[:80]
        for key, value in _ASSIGNMENT.findall(created_by):
            if looks(key, value):
                found.append((f"history step `{shown}` sets {key}",
                              f"히스토리 단계 `{shown}`에서 `{key}` 설정"))
        if secrets.looks_secret(created_by):
            found.append((f"history step `{shown}` holds a key-like string",
                          f"히스토리 단계 `{shown}`에 키처럼 보이는 문자열"))
    return sorted(set(found))


def _from_base(api: Any, info: Mapping[str, Any], base_ref: str) -> list[tuple[str, str]]:
    layers = list((info.get("RootFS") or {}).get("Layers") or [])
    try:
        base_layers = list((api.inspect_image(base_ref).get("RootFS") or {}).get("Layers") or [])
    except Exception:  # docker.errors.ImageNotFound; the SDK is imported lazily
        return [(f"the base image {base_ref} is not there to compare with",
                 f"비교할 베이스 이미지 `{base_ref}` 없음")]
    if layers[: len(base_layers)] != base_layers:
        return [(f"its layers do not begin with {base_ref}'s: built FROM another image",
                 f"레이어가 `{base_ref}`의 레이어로 시작하지 않음: 다른 이미지에서 빌드됨")]
    return []
