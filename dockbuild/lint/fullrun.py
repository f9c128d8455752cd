"""A lint run that checks: hadolint, the policy rules, ignores, the per-image cache.

Imported only when the last run cannot be replayed (see run.py). Order of
work, chosen for speed: hadolint starts first (in the background,
on the files whose findings are not cached), then the manifest is read and
each image is checked parent-first, so a service sees its base's final
USER, WORKDIR and ENV. Results are cached per image, keyed by everything the
image's checks read; a run with nothing changed replays the last one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockbuild.errors import DockbuildError
from dockbuild.evidence import Evidence, Requirement, Span, Status
from dockbuild.inputs import manifest as manifest_mod
from dockbuild.inputs.buildcontext import ContextIndex, ContextView
from dockbuild.inputs.dockerfile import Dockerfile, decode, parse
from dockbuild.inputs.manifest import Image
from dockbuild.lint import config as lintconfig
from dockbuild.lint import hadolint_merge as lintmerge
from dockbuild.lint import replay as lintreplay
from dockbuild.lint.cache import LintCache, code_fingerprint, digest
from dockbuild.lint.hadolint_run import HadolintStage
from dockbuild.lint.result import LintResult
from dockbuild.lint.rules import ALL_RULES, BY_CODE
from dockbuild.lint.rules.base import Parent, Rule, Scope, Subject
from dockbuild.lint.rules.df001_unparseable import unparseable_ko
from dockbuild.lint.stages import Analysis, State, analyse

# Read before the manifest is validated, so hadolint can start at once.
_DOCKERFILE_KEY = re.compile(rb"""^\s*dockerfile:\s*["']?([^"'\s,}#]+)""", re.MULTILINE)
NAMES = {rule.code: rule.name for rule in ALL_RULES}


class FullRun:
    """Check every image of the manifest (what ``lint.run.run`` does when it cannot replay)."""

    def __init__(self, root: Path, cache: LintCache, rules: tuple[Rule, ...], hadolint: bool,
                 manifest: manifest_mod.Manifest | None = None):
        self.root = root
        self.loaded = manifest
        self.cache = cache
        self.rules = rules
        self.config = lintconfig.load(root)
        self.fingerprint = code_fingerprint()
        self.hadolint = HadolintStage(root, cache, self.config, enabled=hadolint)
        self.raw: dict[str, bytes] = {}
        self.parsed: dict[str, Dockerfile | None] = {}
        self.analyses: dict[str, Analysis | None] = {}
        self.stats = {"images": 0, "cached": 0}

    def go(self, parts: list[str | bytes]) -> LintResult:
        """Check, store the run for replay under ``parts`` (what run.py tried it by), return it."""
        manifest_bytes = self._read(manifest_mod.MANIFEST.as_posix()) or b""
        early = [path for m in _DOCKERFILE_KEY.findall(manifest_bytes)
                 if not (path := m.decode()).startswith("/") and ".." not in path.split("/")]
        self.hadolint.start({p: c for p in early if (c := self._read(p)) is not None})
        self.manifest = self.loaded or manifest_mod.load(self.root)
        self.by_name = {image.name: image for image in self.manifest.images()}
        self.manifest_lines = tuple(manifest_bytes.decode("utf-8", "replace").splitlines())
        files = [i.dockerfile.as_posix() for i in self.manifest.images()]
        self.hadolint.start({p: c for p in files if (c := self._read(p)) is not None})
        folders = dict.fromkeys(i.context.as_posix() for i in self.manifest.images())
        self.contexts = {f: lintreplay.context_index(self.root, self.cache, f) for f in folders}
        # Policy rules first, hadolint's findings after: the rules run while hadolint does.
        checked = [self._image(self.by_name[name]) for name in self.manifest.build_order()]
        records = [r for finish in checked for r in finish()]
        for folder, index in self.contexts.items():
            records += self._context_rules(folder, index)
        records += lintmerge.disabled_records(self.config, dict.fromkeys(NAMES, "policy"))
        tools = {"hadolint": self.hadolint.version(), "policy-rules": str(len(self.rules))}
        stats = {**self.stats, "hadolint_files": self.hadolint.files_run}
        outcome = {"records": records, "tools": tools, "stats": stats}
        remember = lintreplay.save(self.root, self.cache, parts, files, self.contexts, outcome)
        return LintResult(records, tools=tools, stats=stats, remember=remember)

    def _read(self, path: str) -> bytes | None:
        if path not in self.raw:
            try:
                self.raw[path] = (self.root / path).read_bytes()
            except OSError:
                return None
        return self.raw[path]

    # -- one image -------------------------------------------------------------------------
    def _parse(self, image: Image) -> Dockerfile | None:
        path = image.dockerfile.as_posix()
        if path not in self.parsed:
            try:
                self.parsed[path] = parse(decode(self._read(path) or b"", path), path)
            except DockbuildError:
                self.parsed[path] = None
        return self.parsed[path]

    def _analysis(self, image: Image) -> Analysis | None:
        """Resolve an image's stages, its parents first (their final state is its start)."""
        if image.name not in self.analyses:
            parents: dict[str, State] = {}
            for parent in self._chain(image):
                done = self._analysis(parent)
                final = done.final if done else None
                parents[parent.image] = (final.final if final else
                                         State(origin=parent.image, known=False))
            dockerfile = self._parse(image)
            platform = self.manifest.variants.default_platform
            self.analyses[image.name] = (analyse(dockerfile, parents, platform)
                                         if dockerfile else None)
        return self.analyses[image.name]

    def _chain(self, image: Image) -> list[Image]:
        chain, current = [], image
        while current.parent is not None:
            current = self.by_name[current.parent]
            chain.append(current)
        return chain

    def _image_key(self, image: Image, chain: list[Image]) -> str:
        parts: list[str | bytes] = [self.fingerprint, self.config.digest, self.hadolint.signature,
                                    repr(self.manifest.base), repr(self.manifest.variants)]
        for item in (image, *chain):
            lines = sorted({*item.lines.values(), item.where.line or 0})
            path = item.dockerfile.as_posix()
            parts += [repr(item), path, self._read(path) or b"",
                      "\n".join(self.manifest_lines[n - 1] for n in lines if n > 0)]
        return digest(*parts)

    def _image(self, image: Image) -> Callable[[], list[Evidence]]:
        """Check one image now; return how to finish it (add hadolint's findings, ignore, store)."""
        self.stats["images"] += 1
        chain = self._chain(image)
        key = self._image_key(image, chain) if self.cache.enabled else ""
        view = ContextView(self.contexts[image.context.as_posix()])
        cached = self.cache.read("image", key, _records_if_still_true(view))
        if cached is not None:
            self.stats["cached"] += 1
            return lambda: cached
        records = self._check_image(image, chain, view)

        def finish() -> list[Evidence]:
            done = self._with_hadolint(image, records)
            self._store(key, done, view)
            return done

        return finish

    def _store(self, key: str, records: list[Evidence], view: ContextView) -> None:
        if self.cache.enabled:
            self.cache.put("image", key, {"records": [r.to_dict() for r in records],
                                          "asked": view.asked})

    def _check_image(self, image: Image, chain: list[Image], view: ContextView) -> list[Evidence]:
        path = image.dockerfile.as_posix()
        analysis = self._analysis(image)
        dockerfile = self._parse(image)
        raw = self._read(path) or b""
        if dockerfile is None or analysis is None or analysis.final is None:
            records = [self._unparseable(image, raw)]
        else:
            subject = Subject(
                manifest=self.manifest, image=image, dockerfile=dockerfile, analysis=analysis,
                parents=tuple(Parent(p, self.analyses.get(p.name)) for p in chain),
                context=view, manifest_lines=self.manifest_lines,
                trusted_registries=self.config.trusted_registries,
            )
            terms = subject.terms()
            broken = next((p.dockerfile.as_posix() for p in chain if self.analyses.get(p.name)
                           is None), None)
            records = [r for rule in self.rules if self._applies(rule, subject)
                       for r in (self._apply(rule, subject, image.name, terms)
                                 if broken is None or not rule.inherits
                                 else self._skipped(rule, image.name, terms, broken))]
        return records

    def _skipped(self, rule: Rule, name: str, terms: dict[str, str], broken: str
                 ) -> list[Evidence]:
        return [Evidence(check=rule.code, subject=name, status=Status.SKIP,
                         severity=self.config.level(rule.code, rule.severity), location=None,
                         message=f"not checked: the parent Dockerfile {broken} does not parse",
                         message_ko=f"검사 안 함: 부모 Dockerfile `{broken}`: 읽을 수 없음",
                         requirement=Requirement(rule.requirement_ko.format(**terms),
                                                 rule.requirement_en.format(**terms)))]

    def _with_hadolint(self, image: Image, records: list[Evidence]) -> list[Evidence]:
        """Add the image's hadolint findings (waiting for the run), then apply ignore pragmas."""
        path = image.dockerfile.as_posix()
        raw = self._read(path) or b""
        dockerfile = self._parse(image)
        records = records + lintmerge.from_hadolint(
            path, self.hadolint.findings(path, raw), dockerfile, self.analyses.get(image.name),
            raw.decode("utf-8", "replace").splitlines())
        return lintmerge.apply_ignores(records, {path: dockerfile} if dockerfile else {}, NAMES)

    def _unparseable(self, image: Image, raw: bytes) -> Evidence:
        """Return the DF001 failure for a file the parser refuses, at the line it names."""
        path = image.dockerfile.as_posix()
        try:
            parse(decode(raw, path), path)
            message, line = "the Dockerfile has no FROM", 1
        except DockbuildError as exc:
            message = exc.message
            line = exc.where.line if exc.where and exc.where.line else 1
        lines = raw.decode("utf-8", "replace").splitlines()
        text = lines[line - 1] if line <= len(lines) else ""
        rule = BY_CODE["DF001"]
        return Evidence(check=rule.code, subject=image.name, status=Status.FAIL,
                        severity=self.config.level(rule.code, rule.severity),
                        location=Span(path, line, line, text), message=message,
                        message_ko=unparseable_ko(message),
                        requirement=Requirement(rule.requirement_ko, rule.requirement_en))

    def _applies(self, rule: Rule, subject: Subject) -> bool:
        if not self.config.enabled(rule.code, rule.name):
            return False
        if rule.scope is Scope.BASE:
            return subject.is_base
        if rule.scope is Scope.SERVICE:
            return not subject.is_base and subject.parent is not None
        return rule.scope is Scope.IMAGE

    def _apply(self, rule: Rule, subject: Subject, name: str, terms: dict[str, str]
               ) -> list[Evidence]:
        requirement = Requirement(rule.requirement_ko.format(**terms),
                                  rule.requirement_en.format(**terms))
        severity = self.config.level(rule.code, rule.severity)
        try:
            outcomes = list(rule.check(subject))
        except Exception as exc:
            if os.environ.get("DOCKBUILD_DEBUG"):
                raise
            where = subject.span(subject.final.stage.start) if subject.dockerfile else None
            return [Evidence(check=rule.code, subject=name, status=Status.FAIL, severity=severity,
                             location=where, requirement=requirement,
                             message=f"rule crashed ({type(exc).__name__}: {exc}); please report",
                             message_ko=f"규칙 오류 (`{type(exc).__name__}`): 버그로 알려 주세요")]
        return [Evidence(check=rule.code, subject=name, status=o.status, severity=severity,
                         location=o.where, message=o.message, requirement=requirement,
                         related=o.related, message_ko=o.message_ko) for o in outcomes]

    def _context_rules(self, folder: str, index: ContextIndex) -> list[Evidence]:
        """Run the rules about a build context itself (.dockerignore, the files it sends)."""
        view = ContextView(index)
        key = digest("context-rules", self.fingerprint, self.config.digest, folder,
                     repr(self.manifest.base))
        cached = self.cache.read("image", key, _records_if_still_true(view))
        if cached is not None:
            return cached
        owner = next(i for i in self.manifest.images() if i.context.as_posix() == folder)
        subject = Subject(manifest=self.manifest, image=owner, dockerfile=None, analysis=None,
                          parents=(), context=view, manifest_lines=self.manifest_lines)
        terms = subject.terms()
        records = [r for rule in self.rules
                   if rule.scope is Scope.CONTEXT and self.config.enabled(rule.code, rule.name)
                   for r in self._apply(rule, subject, f"context {folder}", terms)]
        self._store(key, records, view)
        return records


def _records_if_still_true(view: ContextView) -> Callable[[Any], list[Evidence] | None]:
    """Return how to read a cached image entry: its records, or None when an answer changed."""

    def decode(entry: Any) -> list[Evidence] | None:
        if not view.still_true(entry["asked"]):
            return None
        return [Evidence.from_dict(record) for record in entry["records"]]

    return decode
