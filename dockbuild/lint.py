"""Lint every image of the manifest: hadolint once, the policy rules, ignores, the cache.

Order of work, chosen for speed: hadolint starts first (in the background,
on the files whose findings are not cached), then the manifest is read and
each image is checked parent-first, so a service sees its base's final
USER, WORKDIR and ENV. Results are cached per image, keyed by everything the
image's checks read; a run with nothing changed replays the last one.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from pathlib import Path

from dockbuild import hadolint, lintconfig, lintmerge
from dockbuild import manifest as manifest_mod
from dockbuild.buildcontext import ContextIndex, ContextView
from dockbuild.dockerfile import Dockerfile, decode, parse
from dockbuild.errors import DockbuildError, DockerfileSyntaxError
from dockbuild.evidence import Evidence, Requirement, Span, Status
from dockbuild.imagestate import Analysis, State, analyse
from dockbuild.lintcache import LintCache, code_fingerprint, digest
from dockbuild.lintconfig import LintConfig
from dockbuild.manifest import Image, Manifest
from dockbuild.rules import ALL_RULES, BY_CODE
from dockbuild.rules.base import Parent, Rule, Scope, Subject

_DOCKERFILE_KEY = re.compile(rb"""^\s*dockerfile:\s*["']?([^"'\s,}#]+)""", re.MULTILINE)
NAMES = {rule.code: rule.name for rule in ALL_RULES}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LintResult:
    """Every record of a run, and how the run went."""

    records: tuple[Evidence, ...]
    tools: dict[str, str]
    stats: dict[str, int]

    @property
    def findings(self) -> list[Evidence]:
        """Return the failures, sorted by file and line."""
        return sorted((r for r in self.records if r.failed), key=Evidence.sort_key)

    @property
    def unusable(self) -> list[Evidence]:
        """Return the files that could not be read or parsed (exit 2)."""
        return [r for r in self.findings if r.check == "DF001"]


def run(
    root: Path,
    *,
    use_cache: bool = True,
    rules: Sequence[Rule] | None = None,
    with_hadolint: bool = True,
) -> LintResult:
    """Lint the repository at ``root``.

    ``rules`` and ``with_hadolint`` narrow a run (the rule fixtures test one
    rule at a time); a narrowed run neither reads nor writes the cache.
    """
    narrowed = rules is not None or not with_hadolint
    cache = LintCache(root, enabled=use_cache and not narrowed)
    return _Run(root, cache, tuple(ALL_RULES if rules is None else rules), with_hadolint).go()


class _Run:
    def __init__(
        self, root: Path, cache: LintCache, rules: tuple[Rule, ...], with_hadolint: bool
    ) -> None:
        self.root = root
        self.cache = cache
        self.rules = rules
        self.with_hadolint = with_hadolint
        self.config: LintConfig = lintconfig.load(root)
        self.fingerprint = code_fingerprint()
        self.raw: dict[str, bytes] = {}
        self.parsed: dict[str, Dockerfile | None] = {}
        self.analyses: dict[str, Analysis | None] = {}
        self.stats = {"images": 0, "cached": 0, "hadolint_files": 0}

    # -- the run ---------------------------------------------------------------------------
    def go(self) -> LintResult:
        manifest_bytes = self._read(manifest_mod.MANIFEST.as_posix())
        self.exe = hadolint.binary() if self.with_hadolint else ""
        self.tool_sig = hadolint.signature(self.exe) if self.exe else "-"
        replayed = self._replay(manifest_bytes)
        if replayed is not None:
            return replayed
        early = [m.decode() for m in _DOCKERFILE_KEY.findall(manifest_bytes or b"")]
        job = self._start_hadolint(early)
        manifest = manifest_mod.load(self.root)
        self.manifest = manifest
        self.manifest_lines = tuple((manifest_bytes or b"").decode("utf-8", "replace").splitlines())
        late = self._start_hadolint([i.dockerfile.as_posix() for i in manifest.images()])
        self.jobs = [job, late]
        self.contexts = {
            folder: self._context(folder)
            for folder in dict.fromkeys(i.context.as_posix() for i in manifest.images())
        }
        records: list[Evidence] = []
        for name in manifest.build_order():
            records += self._image(manifest.get(name))
        for folder, index in self.contexts.items():
            records += self._context_rules(folder, index)
        records += lintmerge.disabled_records(self.config, {c: "policy" for c in NAMES})
        tools = {"hadolint": self._hadolint_version(), "dockbuild-rules": str(len(self.rules))}
        result = LintResult(records=tuple(records), tools=tools, stats=self.stats)
        self._save_run(manifest, manifest_bytes or b"", result)
        return result

    # -- inputs ----------------------------------------------------------------------------
    def _read(self, path: str) -> bytes | None:
        if path not in self.raw:
            try:
                self.raw[path] = (self.root / path).read_bytes()
            except OSError:
                return None
        return self.raw[path]

    def _hadolint_key(self, path: str) -> str:
        return digest("hadolint", self.tool_sig, self.config.digest, self.raw.get(path, b""))

    def _start_hadolint(self, paths: list[str]) -> hadolint.Run:
        if not self.with_hadolint:
            paths = []
        started = {f for job in getattr(self, "jobs", []) for f in job.files}
        todo = [
            p
            for p in dict.fromkeys(paths)
            if p not in started
            and self._read(p) is not None
            and self.cache.get("hadolint", self._hadolint_key(p)) is None
        ]
        self.stats["hadolint_files"] += len(todo)
        return hadolint.Run(self.root, todo, self.config.path)

    def _hadolint_findings(self, path: str) -> list[hadolint.Finding]:
        cached = self.cache.get("hadolint", self._hadolint_key(path))
        if cached is not None:
            return list(cached)
        for job in self.jobs:
            if path in job.files:
                found = job.result().get(path, [])
                self.cache.put("hadolint", self._hadolint_key(path), found)
                return found
        return []

    def _hadolint_version(self) -> str:
        key = digest("version", self.tool_sig)
        if not self.exe:
            return "not run"
        known = self.cache.get("tools", key)
        if known is None:
            known = hadolint.version(self.exe)
            self.cache.put("tools", key, known)
        return str(known)

    def _context(self, folder: str) -> ContextIndex:
        stored = self.cache.get("context", digest(str(self.root), folder))
        if stored:
            probe = ContextIndex(self.root, folder, frozenset())
            if probe.signature(stored["dirs"]) == stored["signature"]:
                return ContextIndex(self.root, folder, frozenset(stored["sent"]))
        index = ContextIndex(self.root, folder)
        dirs = index.dirs()
        self.cache.put(
            "context",
            digest(str(self.root), folder),
            {"dirs": dirs, "signature": index.signature(dirs), "sent": sorted(index.sent)},
        )
        return index

    # -- one image -------------------------------------------------------------------------
    def _parse(self, image: Image) -> Dockerfile | None:
        path = image.dockerfile.as_posix()
        if path not in self.parsed:
            try:
                self.parsed[path] = parse(decode(self._read(path) or b"", path), path)
            except DockerfileSyntaxError:
                self.parsed[path] = None
        return self.parsed[path]

    def _analysis(self, image: Image) -> Analysis | None:
        if image.name not in self.analyses:
            dockerfile = self._parse(image)
            parents: dict[str, State] = {}
            for other in self.manifest.images():
                if other.name == image.name:
                    continue
                done = self.analyses.get(other.name, False)
                if done is None:
                    parents[other.image] = State(origin=other.image, known=False)
                elif done and done.final is not None:
                    parents[other.image] = done.final.final
            self.analyses[image.name] = analyse(dockerfile, parents) if dockerfile else None
        return self.analyses[image.name]

    def _chain(self, image: Image) -> list[Image]:
        chain, current = [], image
        while current.parent is not None:
            current = self.manifest.get(current.parent)
            chain.append(current)
        return chain

    def _image_key(self, image: Image, chain: list[Image]) -> str:
        parts: list[str | bytes] = [
            self.fingerprint,
            self.config.digest,
            self.tool_sig,
            repr(self.manifest.base),
            repr(self.manifest.variants),
        ]
        for item in (image, *chain):
            lines = sorted({*item.lines.values(), item.where.line or 0})
            parts += [
                repr(item),
                item.dockerfile.as_posix(),
                self._read(item.dockerfile.as_posix()) or b"",
                "\n".join(self.manifest_lines[n - 1] for n in lines if n > 0),
            ]
        return digest(*parts)

    def _image(self, image: Image) -> list[Evidence]:
        self.stats["images"] += 1
        chain = self._chain(image)
        key = self._image_key(image, chain)
        view = ContextView(self.contexts[image.context.as_posix()])
        entry = self.cache.get("image", key)
        if entry is not None and view.still_true(entry["asked"]):
            self.stats["cached"] += 1
            return [Evidence.from_dict(r) for r in entry["records"]]
        records = self._check_image(image, chain, view)
        self.cache.put(
            "image", key, {"records": [r.to_dict() for r in records], "asked": view.asked}
        )
        return records

    def _check_image(self, image: Image, chain: list[Image], view: ContextView) -> list[Evidence]:
        path = image.dockerfile.as_posix()
        for parent in reversed(chain):
            self._analysis(parent)
        dockerfile = self._parse(image)
        analysis = self._analysis(image)
        raw_text = (self._read(path) or b"").decode("utf-8", "replace")
        if dockerfile is None or analysis is None or analysis.final is None:
            records = [self._unparseable(image, raw_text)]
        else:
            subject = Subject(
                manifest=self.manifest,
                image=image,
                dockerfile=dockerfile,
                analysis=analysis,
                parents=tuple(Parent(p, self.analyses.get(p.name)) for p in chain),
                context=view,
                manifest_lines=self.manifest_lines,
                trusted_registries=self.config.trusted_registries,
            )
            records = [
                r
                for rule in self.rules
                if self._applies(rule, subject)
                for r in self._apply(rule, subject, image.name)
            ]
        if self.with_hadolint:
            records += lintmerge.from_hadolint(
                path, self._hadolint_findings(path), dockerfile, analysis, raw_text.splitlines()
            )
        files = {path: dockerfile} if dockerfile else {}
        return lintmerge.apply_ignores(records, files, NAMES)

    def _unparseable(self, image: Image, raw_text: str) -> Evidence:
        path = image.dockerfile.as_posix()
        try:
            parse(decode(self._read(path) or b"", path), path)
            message, line = "the Dockerfile has no FROM", 1
        except DockbuildError as exc:
            message = exc.message
            line = exc.where.line if exc.where and exc.where.line else 1
        lines = raw_text.splitlines()
        text = lines[line - 1] if line <= len(lines) else ""
        rule = BY_CODE["DF001"]
        return Evidence(
            check=rule.code,
            subject=image.name,
            status=Status.FAIL,
            severity=self.config.level(rule.code, rule.severity),
            location=Span(path, line, line, text),
            message=message,
            requirement=Requirement(rule.requirement_ko, rule.requirement_en),
        )

    def _applies(self, rule: Rule, subject: Subject) -> bool:
        if not self.config.enabled(rule.code, rule.name):
            return False
        if rule.scope is Scope.BASE:
            return subject.is_base
        if rule.scope is Scope.SERVICE:
            return not subject.is_base and subject.parent is not None
        return rule.scope is Scope.IMAGE

    def _apply(self, rule: Rule, subject: Subject, name: str) -> list[Evidence]:
        terms = subject.terms()
        requirement = Requirement(
            rule.requirement_ko.format(**terms), rule.requirement_en.format(**terms)
        )
        severity = self.config.level(rule.code, rule.severity)
        try:
            outcomes = list(rule.check(subject))
        except Exception as exc:
            if os.environ.get("DOCKBUILD_DEBUG"):
                raise
            where = subject.span(subject.final.stage.start) if subject.dockerfile else None
            return [
                Evidence(
                    check=rule.code,
                    subject=name,
                    status=Status.FAIL,
                    severity=severity,
                    location=where,
                    requirement=requirement,
                    message=f"rule crashed ({type(exc).__name__}: {exc}); please report",
                )
            ]
        return [
            Evidence(
                check=rule.code,
                subject=name,
                status=o.status,
                severity=severity,
                location=o.where,
                message=o.message,
                requirement=requirement,
                related=o.related,
            )
            for o in outcomes
        ]

    def _context_rules(self, folder: str, index: ContextIndex) -> list[Evidence]:
        view = ContextView(index)
        key = digest(
            "context-rules", self.fingerprint, self.config.digest, folder, repr(self.manifest.base)
        )
        entry = self.cache.get("image", key)
        if entry is not None and view.still_true(entry["asked"]):
            return [Evidence.from_dict(r) for r in entry["records"]]
        owner = next(i for i in self.manifest.images() if i.context.as_posix() == folder)
        subject = Subject(
            manifest=self.manifest,
            image=owner,
            dockerfile=None,
            analysis=None,
            parents=(),
            context=view,
            manifest_lines=self.manifest_lines,
        )
        rules = [
            r for r in self.rules if r.scope is Scope.CONTEXT and self.config.enabled(r.code, r.name)
        ]
        records = [r for rule in rules for r in self._apply(rule, subject, f"context {folder}")]
        self.cache.put(
            "image", key, {"records": [r.to_dict() for r in records], "asked": view.asked}
        )
        return records

    # -- the whole-run replay --------------------------------------------------------------
    def _inputs(
        self, manifest_bytes: bytes | None, files: list[str], dirs: dict[str, list[str]]
    ) -> str:
        parts: list[str | bytes] = [
            str(self.root),
            self.fingerprint,
            self.config.digest,
            self.tool_sig,
            manifest_bytes or b"-",
        ]
        for path in files:
            parts += [path, self._read(path) or b"-"]
        for folder, listed in sorted(dirs.items()):
            parts += [folder, ContextIndex(self.root, folder, frozenset()).signature(listed)]
        return digest(*parts)

    def _replay(self, manifest_bytes: bytes | None) -> LintResult | None:
        last = self.cache.get("runs", digest(str(self.root)))
        if not last or last["inputs"] != self._inputs(manifest_bytes, last["files"], last["dirs"]):
            return None
        self.stats.update(last["stats"], replayed=1)
        return LintResult(
            records=tuple(Evidence.from_dict(r) for r in last["records"]),
            tools=last["tools"],
            stats=self.stats,
        )

    def _save_run(self, manifest: Manifest, manifest_bytes: bytes, result: LintResult) -> None:
        files = [i.dockerfile.as_posix() for i in manifest.images()]
        dirs = {folder: index.dirs() for folder, index in self.contexts.items()}
        self.cache.put(
            "runs",
            digest(str(self.root)),
            {
                "inputs": self._inputs(manifest_bytes, files, dirs),
                "files": files,
                "dirs": dirs,
                "records": [r.to_dict() for r in result.records],
                "tools": result.tools,
                "stats": result.stats,
            },
        )
