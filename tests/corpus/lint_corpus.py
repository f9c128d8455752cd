"""Lint every corpus Dockerfile as a service of a throwaway repo; collect findings, crashes.

Each file under dockerfiles/ (listed in dockerfiles/SOURCES.json) becomes the
Dockerfile of one service ``svc`` in a temporary repository whose manifest
entry is derived from the file itself: ports from its EXPOSE, cmd from its
CMD, user and workdir from its last USER and WORKDIR, apt packages from its
``apt-get install`` lines and copies from its COPY/ADD sources, following the
final stage back through the stages it is built FROM. The context holds an
empty placeholder for every COPY source, so the COPY checks have something to
see. The derivation reads the file with a small reader of its own, not with
dockbuild's parser, so a parser bug cannot hide itself by shaping the manifest.

    python tests/corpus/lint_corpus.py             # writes tests/corpus/findings.json
    python tests/corpus/lint_corpus.py --debug     # with DOCKBUILD_DEBUG=1: rules raise
    python tests/corpus/lint_corpus.py --cli FILE  # one file through `python -m dockbuild`

Nothing here needs a Docker engine, and nothing here changes dockbuild.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
CORPUS = HERE / "dockerfiles"
SOURCES = CORPUS / "SOURCES.json"
FINDINGS = HERE / "findings.json"
SERVICE_DOCKERFILE = "docker/svc/Dockerfile"
BASE_DOCKERFILE = "docker/Dockerfile.base"

_DIRECTIVE = re.compile(r"^#\s*(\w+)\s*=\s*(\S+)\s*$")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][\w.-]*)\2")
_VAR = re.compile(r"\$(?:\{(\w+)(?::?[-+][^}]*)?\}|(\w+))")
_FLAG = re.compile(r"^--[\w-]+(=.*)?$")
_DEFAULT_USER = "appuser"


# -- a small Dockerfile reader, for deriving the manifest only ------------------------------
@dataclasses.dataclass(frozen=True, slots=True)
class Line:
    """One instruction: its keyword, its text after the keyword, its first line number."""

    keyword: str
    args: str
    line: int


def instructions(text: str) -> list[Line]:
    """Split a Dockerfile into instructions (escape directive, continuations, heredocs)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    escape = "\\"
    for raw in lines:
        match = _DIRECTIVE.match(raw.strip())
        if not match:
            break
        if match[1].lower() == "escape":
            escape = match[2]
    out: list[Line] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start, parts = i + 1, []
        while True:
            current = lines[i].rstrip()
            if current.endswith(escape) and i + 1 < len(lines):
                parts.append(current[: -len(escape)])
                i += 1
                while i < len(lines) and lines[i].strip().startswith("#"):
                    i += 1  # comment lines inside a continuation are dropped
                if i >= len(lines):
                    break
                continue
            parts.append(current)
            i += 1
            break
        joined = " ".join(p.strip() for p in parts)
        keyword, _, args = _split_keyword(joined)
        for marker in _HEREDOC.finditer(args):
            end = marker[3]
            while i < len(lines) and (lines[i].strip() if marker[1] else lines[i]) != end:
                i += 1
            i += 1
        out.append(Line(keyword.upper(), args.strip(), start))
    return out


def _split_keyword(joined: str) -> tuple[str, str, str]:
    words = re.split(r"\s+", joined.strip(), maxsplit=1)
    return words[0], " ", words[1] if len(words) > 1 else ""


def expand(value: str, env: dict[str, str]) -> str | None:
    """Expand $VAR / ${VAR} from known ARG and ENV defaults; None when one is unknown."""
    unknown = False

    def one(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match[1] or match[2]
        if name not in env:
            unknown = True
            return ""
        return env[name]

    result = _VAR.sub(one, value)
    return None if unknown else result


def unquote(value: str) -> str:
    """Drop one pair of surrounding quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def assignments(args: str) -> dict[str, str]:
    """Read ``ARG a=1 b`` / ``ENV a=1 b=2`` / legacy ``ENV a 1``."""
    try:
        words = shlex.split(args, posix=True)
    except ValueError:
        words = args.split()
    if words and "=" not in words[0] and len(words) > 1:
        return {words[0]: " ".join(words[1:])}
    pairs = {}
    for word in words:
        name, sep, value = word.partition("=")
        if sep:
            pairs[name] = value
    return pairs


def split_flags(args: str) -> tuple[list[str], list[str]]:
    """Return an instruction's leading ``--flags`` and its other words (JSON form too)."""
    flags: list[str] = []
    rest = args
    while True:
        match = re.match(r"^(--[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|\S+))?)\s*", rest)
        if not match:
            break
        flags.append(match[1])
        rest = rest[match.end():]
    if rest.startswith("["):
        with contextlib.suppress(ValueError):
            words = json.loads(rest)
            if isinstance(words, list) and all(isinstance(w, str) for w in words):
                return flags, words
    return flags, rest.split()


@dataclasses.dataclass(slots=True)
class Stage:
    """What one stage sets, for the derivation."""

    name: str | None
    image: str
    body: list[Line] = dataclasses.field(default_factory=list)


def stages(lines: list[Line]) -> tuple[dict[str, str], list[Stage]]:
    """Return the global ARG defaults and the stages."""
    globals_: dict[str, str] = {}
    found: list[Stage] = []
    for line in lines:
        if line.keyword == "FROM":
            words = [w for w in line.args.split() if not w.startswith("--")]
            image = words[0] if words else ""
            name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            found.append(Stage(name, image))
        elif not found:
            if line.keyword == "ARG":
                globals_.update({k: unquote(v) for k, v in assignments(line.args).items()})
        else:
            found[-1].body.append(line)
    return globals_, found


def chain(found: list[Stage]) -> list[Stage]:
    """Return the final stage and the stages it is built FROM, oldest first."""
    if not found:
        return []
    out = [found[-1]]
    by_name = {s.name: s for s in found[:-1] if s.name}
    seen = set()
    while out[0].image.lower() in by_name and out[0].image.lower() not in seen:
        seen.add(out[0].image.lower())
        out.insert(0, by_name[out[0].image.lower()])
    return out


# -- the derived manifest entry -----------------------------------------------------------
@dataclasses.dataclass(slots=True)
class Derived:
    """The manifest entry derived from one corpus file, and what could not be derived."""

    cmd: list[str] | str = dataclasses.field(default_factory=lambda: ["true"])
    ports: list[int] = dataclasses.field(default_factory=list)
    user: str = _DEFAULT_USER
    uid: int = 1000
    workdir: str = "/"
    apt: list[str] = dataclasses.field(default_factory=list)
    copies: list[str] = dataclasses.field(default_factory=list)
    placeholders: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


def _apt_packages(command: str) -> list[str]:
    packages: list[str] = []
    for part in re.split(r"&&|\|\||;|\|", command):
        words = part.split()
        for tool in ("apt-get", "apt"):
            if tool in words and "install" in words[words.index(tool):]:
                after = words[words.index(tool):]
                for word in after[after.index("install") + 1:]:
                    if word.startswith("-") or "$" in word or word in {"\\"}:
                        continue
                    name = word.split("=", 1)[0].strip("\"'")
                    if re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", name) and name not in packages:
                        packages.append(name)
    return packages


def derive(text: str) -> Derived:
    """Derive a service's manifest entry from its Dockerfile."""
    derived = Derived()
    globals_, found = stages(instructions(text))
    final_chain = chain(found)
    if not final_chain:
        derived.notes.append("no FROM: nothing to derive")
        return derived
    env = dict(globals_)
    cmd_line = user_line = None
    workdir = None
    for stage in final_chain:
        for line in stage.body:
            if line.keyword in {"ARG", "ENV"}:
                for name, value in assignments(line.args).items():
                    env[name] = expand(unquote(value), env) or unquote(value)
            elif line.keyword == "CMD":
                cmd_line = line
            elif line.keyword == "USER":
                user_line = line
            elif line.keyword == "WORKDIR":
                value = expand(unquote(line.args), env)
                if value is None:
                    derived.notes.append(f"WORKDIR at line {line.line} has an unknown variable")
                elif value.startswith("/"):
                    workdir = value
                elif workdir:
                    workdir = f"{workdir.rstrip('/')}/{value}"
            elif line.keyword == "EXPOSE":
                for word in line.args.split():
                    value = expand(unquote(word), env)
                    number = (value or "").split("/")[0]
                    if number.isdigit() and 0 < int(number) < 65536:
                        if int(number) not in derived.ports:
                            derived.ports.append(int(number))
                    else:
                        derived.notes.append(f"EXPOSE {word} at line {line.line}: not a port")
            elif line.keyword == "RUN":
                for package in _apt_packages(line.args):
                    if package not in derived.apt:
                        derived.apt.append(package)
    # Every stage's context copies reach the build, not only the final stage's.
    for stage in found:
        scope = dict(globals_)
        for line in stage.body:
            if line.keyword in {"ARG", "ENV"}:
                for name, value in assignments(line.args).items():
                    scope[name] = expand(unquote(value), scope) or unquote(value)
            elif line.keyword in {"COPY", "ADD"}:
                _copies(line, scope, derived)
    if cmd_line is not None:
        _, words = split_flags(cmd_line.args)
        derived.cmd = words if cmd_line.args.lstrip().startswith("[") else cmd_line.args
        if not derived.cmd:
            derived.cmd = ["true"]
            derived.notes.append(f"CMD at line {cmd_line.line} is empty")
    else:
        derived.notes.append("no CMD in the final stage's chain: cmd is a placeholder")
    if user_line is not None:
        value = expand(unquote(user_line.args.split()[0]) if user_line.args else "", env)
        name = (value or "").split(":")[0]
        if name.isdigit() and int(name) > 0:
            derived.uid, derived.user = int(name), f"user{name}"
            derived.notes.append(f"USER {name} is numeric: manifest user user{name} uid {name}")
        elif name and name not in {"root", "0"} and re.fullmatch(r"[\w.-]+", name):
            derived.user = name
        else:
            derived.notes.append(f"USER at line {user_line.line} ({user_line.args}) is root, "
                                 "unknown or not a name: manifest user appuser")
    else:
        derived.notes.append("no USER: the image runs as root; manifest user appuser")
    if workdir:
        derived.workdir = workdir
    else:
        derived.notes.append("no absolute WORKDIR: manifest workdir /")
    return derived


def _copies(line: Line, env: dict[str, str], derived: Derived) -> None:
    flags, words = split_flags(line.args)
    if any(f.startswith("--from") for f in flags) or len(words) < 2:
        return
    if _HEREDOC.search(line.args):
        return
    for source in words[:-1]:
        if source.startswith("--"):
            continue
        if re.match(r"^[a-z]+://", source) or source.startswith("git@"):
            continue
        value = expand(source, env)
        if value is None:
            derived.notes.append(f"{line.keyword} source {source} at line {line.line} has an "
                                 "unknown variable: no placeholder")
            continue
        path = value.lstrip("/")
        while path.startswith("./"):
            path = path[2:]
        path = path.rstrip("/") or "."
        if "\\" in path or ":" in path:
            derived.notes.append(f"{line.keyword} source {source} at line {line.line} is a "
                                 "Windows path: no placeholder")
            continue
        if ".." in path.split("/"):
            continue
        if path not in derived.copies:
            derived.copies.append(path)
        concrete = re.sub(r"\[(.)[^]]*\]", r"\1", path).replace("*", "x").replace("?", "x")
        for placeholder in dict.fromkeys((path, concrete)):
            if placeholder != "." and placeholder not in derived.placeholders:
                derived.placeholders.append(placeholder)


def manifest_for(derived: Derived) -> dict[str, Any]:
    """Return the throwaway repository's manifest."""
    service: dict[str, Any] = {"dockerfile": SERVICE_DOCKERFILE, "cmd": derived.cmd}
    if derived.ports:
        service["ports"] = derived.ports
    if derived.apt:
        service["apt"] = derived.apt
    if derived.copies:
        service["copies"] = derived.copies
    return {
        "project": "corpus",
        "variants": {"python": ["3.11"], "platforms": ["linux/amd64"]},
        "base": {
            "name": "corpus-base",
            "dockerfile": BASE_DOCKERFILE,
            "user": {"name": derived.user, "uid": derived.uid, "gid": derived.uid},
            "workdir": derived.workdir,
            "requirements": "requirements/common.txt",
            "cmd": ["python", "--version"],
        },
        "services": {"svc": service},
    }


def base_dockerfile(derived: Derived) -> str:
    """Return a base Dockerfile that agrees with the derived base entry."""
    home = f"/home/{derived.user}"
    return (
        "ARG PYTHON_IMAGE=python:3.11-slim\n"
        "FROM ${PYTHON_IMAGE} AS builder\n"
        "WORKDIR /build\n"
        "COPY requirements/common.txt requirements/common.txt\n"
        "RUN pip install --upgrade pip \\\n"
        "    && pip install --user --no-cache-dir -r requirements/common.txt\n"
        "FROM ${PYTHON_IMAGE} AS runtime\n"
        f"RUN groupadd --gid {derived.uid} {derived.user} \\\n"
        f"    && useradd --uid {derived.uid} --gid {derived.user} --create-home "
        f"--shell /bin/bash {derived.user}\n"
        f"COPY --from=builder /root/.local {home}/.local\n"
        f"ENV PATH={home}/.local/bin:$PATH\n"
        f"WORKDIR {derived.workdir}\n"
        f"RUN chown -R {derived.user}:{derived.user} {derived.workdir} {home}\n"
        f"USER {derived.user}\n"
        'CMD ["python", "--version"]\n'
    )


def make_repo(data: bytes, root: Path) -> Derived:
    """Lay out the throwaway repository for one corpus file; return what was derived."""
    derived = derive(data.decode("utf-8", "replace"))
    (root / "docker/svc").mkdir(parents=True)
    (root / SERVICE_DOCKERFILE).write_bytes(data)
    (root / BASE_DOCKERFILE).write_text(base_dockerfile(derived))
    (root / ".dockerignore").write_text(".git\n")
    (root / "requirements").mkdir()
    (root / "requirements/common.txt").write_text("")
    for placeholder in derived.placeholders:
        target = root / placeholder
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_bytes(b"")
    kept = [c for c in derived.copies if (root / c).exists()]
    dropped = sorted(set(derived.copies) - set(kept))
    if dropped:
        derived.notes.append(f"copies without a placeholder, left out: {dropped}")
    derived.copies = kept
    (root / "docker/services.yaml").write_text(
        yaml.safe_dump(manifest_for(derived), sort_keys=False))
    return derived


# -- running the lint ----------------------------------------------------------------------
def corpus_files() -> list[dict[str, Any]]:
    """Return SOURCES.json's entries."""
    return json.loads(SOURCES.read_text())["files"]


@contextlib.contextmanager
def _debug(on: bool) -> Iterator[None]:
    old = os.environ.get("DOCKBUILD_DEBUG")
    if on:
        os.environ["DOCKBUILD_DEBUG"] = "1"
    else:
        os.environ.pop("DOCKBUILD_DEBUG", None)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("DOCKBUILD_DEBUG", None)
        else:
            os.environ["DOCKBUILD_DEBUG"] = old


def lint_one(name: str, *, debug: bool = False) -> dict[str, Any]:
    """Lint one corpus file in-process; return its policy findings, crashes and derivation."""
    from dockbuild.lint import run as lint

    data = (CORPUS / name).read_bytes()
    result: dict[str, Any] = {"findings": [], "crashes": [], "elsewhere": []}
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp, _debug(debug):
        root = Path(tmp) / "repo"
        root.mkdir()
        derived = make_repo(data, root)
        result["derived"] = {"manifest": manifest_for(derived)["services"]["svc"],
                             "user": derived.user, "workdir": derived.workdir,
                             "notes": derived.notes}
        try:
            records = lint.run(root, use_cache=False, with_hadolint=False).findings
        except Exception as exc:
            lines = traceback.format_exception(exc)
            tail = [_relative(t) for t in "".join(lines).strip().splitlines()[-6:]]
            result["crashes"].append({"kind": "traceback", "type": type(exc).__name__,
                                      "message": str(exc), "tail": tail})
            return result
    for record in records:
        where = record.location
        row = {"rule": record.check, "line": where.line if where else None,
               "message": record.message}
        if record.message.startswith("rule crashed"):
            result["crashes"].append({"kind": "rule crashed", **row})
        elif record.source != "policy":
            continue
        elif where is None or where.file == SERVICE_DOCKERFILE:
            result["findings"].append(row)
        else:
            result["elsewhere"].append({**row, "file": where.file})
    return result


def _relative(text: str) -> str:
    """Drop this checkout's location from a traceback line (findings.json is committed)."""
    return text.replace(f"{HERE.parents[1]}/", "")


def lint_cli(name: str, *, debug: bool = False) -> dict[str, Any]:
    """Lint one corpus file through ``python -m dockbuild --root DIR lint --format json``."""
    data = (CORPUS / name).read_bytes()
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1])}
    env.pop("DOCKBUILD_DEBUG", None)
    if debug:
        env["DOCKBUILD_DEBUG"] = "1"
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        make_repo(data, root)
        done = subprocess.run(
            [sys.executable, "-m", "dockbuild", "--root", str(root), "lint", "--format", "json"],
            capture_output=True, text=True, env=env, check=False, timeout=300,
        )
    return {"exit": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
            "traceback": "Traceback (most recent call last)" in done.stderr}


def lint_all(*, debug: bool = False) -> dict[str, dict[str, Any]]:
    """Lint the whole corpus in-process; return the results keyed by corpus file."""
    return {entry["file"]: lint_one(entry["file"], debug=debug) for entry in corpus_files()}


def main(argv: list[str] | None = None) -> int:
    """Write findings.json (or lint one file through the CLI)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="set DOCKBUILD_DEBUG=1")
    parser.add_argument("--cli", metavar="FILE", help="lint one corpus file through the CLI")
    parser.add_argument("--out", type=Path, default=FINDINGS)
    args = parser.parse_args(argv)
    if args.cli:
        print(json.dumps(lint_cli(args.cli, debug=args.debug), indent=1))
        return 0
    results = lint_all(debug=args.debug)
    entries = {e["file"]: e for e in corpus_files()}
    out = {name: {"repository": entries[name]["repository"], **r} for name, r in results.items()}
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    total = sum(len(r["findings"]) for r in results.values())
    crashes = sum(len(r["crashes"]) for r in results.values())
    print(f"{len(results)} files, {total} policy findings, {crashes} crashes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
