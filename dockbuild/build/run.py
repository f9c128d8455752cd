"""Build the base, then the services in parallel; skip what did not change; summarise.

The no-op path imports neither the docker SDK nor rich: it hashes each image's
inputs and asks the engine for the image's labels with one raw GET. Only when
something must be built does it prepare the wheelhouse, start the SDK and
show progress. A failed image never stops the others (only its children), a
tag moves only after its build succeeded, and Ctrl-C cancels builds on the
engine before it returns.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from dockbuild import gitinfo, signals
from dockbuild.build import context, contextcache, outcome, plan, progress, rootimage
from dockbuild.build.outcome import Job
from dockbuild.engine import images, tags
from dockbuild.errors import BuildFailed, DockbuildError, EnvironmentProblem
from dockbuild.inputs import manifest as manifest_mod
from dockbuild.inputs import variants

log = logging.getLogger("dockbuild")


@dataclasses.dataclass(frozen=True, slots=True)
class Options:
    """What ``inv build`` was asked for."""

    python: str | None = None
    platform: str | None = None
    services: tuple[str, ...] = ()
    base: bool = True
    include_services: bool = True
    no_cache: bool = False
    rebuild_root: bool = False
    jobs: int | None = None
    cache_from: str | None = None  # registry HOST:PORT another engine pushed to
    cache_to: str | None = None  # registry HOST:PORT that receives BuildKit's cache


class Run:
    """One ``inv build`` invocation."""

    def __init__(self, root: Path, options: Options,
                 manifest: manifest_mod.Manifest | None = None) -> None:
        self.root = root
        self.options = options
        self.manifest = manifest or manifest_mod.load(root)
        self.python, self.platform = variants.target(self.manifest, options.python,
                                                     options.platform)
        steps = plan.plan(self.manifest, self.python, self.platform,
                          services=options.services, base=options.base,
                          include_services=options.include_services)
        # every image is built from the repository root; its walk is kept between runs
        found = contextcache.inputs(root, [step.dockerfile for step in steps])
        self.jobs: dict[str, Job] = {step.name: Job(step, files, context.fold(entries),
                                                    entries=entries)
                                     for step, (files, entries) in zip(steps, found, strict=True)}
        self.engine = images.Engine(root)
        self.root_image: rootimage.RootImage | None = None
        self.view: progress.PlainView = progress.PlainView()
        self.active: list[Any] = []
        self.lock = threading.Lock()
        self.interrupted = False
        self.transport: dict[str, str] = {}
        self.contexts: dict[str, str] = {}
        self.secrets: dict[str, dict[str, str]] = {}  # image -> secret id -> variable
        self.meta: dict[str, str] = {}
        self.cache_refs: dict[str, str] = {}  # step name -> image pulled from --cache-from
        self.sizes = outcome.built_sizes(root)  # image id -> MB, as measured when built

    def _parent(self, job: Job) -> tuple[str, str] | None:
        """Return the parent's (reference, id) when it is known now, else None."""
        step = job.step
        if step.parent is None:
            if self.root_image is None:
                return None
            return self.root_image.ref, self.root_image.image_id
        parent = self.jobs.get(step.parent)
        if parent is not None:
            return (parent.step.tag, parent.image_id) if parent.image_id else None
        ref = tags.variant_tag(self.manifest.get(step.parent).image, self.python, self.platform)
        info = self.engine.inspect(ref)
        if info is None:
            msg = f"{ref} is not built yet, and this command builds only services"
            raise EnvironmentProblem(msg, hint="run `inv build-base` (or `inv build`) first")
        return ref, str(info["Id"])

    def _up_to_date(self, job: Job, parent: tuple[str, str]) -> str:
        """Return the job's input hash; mark it skipped when the engine has that image."""
        buildargs = {job.step.parent_arg: parent[0]}
        inputs = plan.input_hash(files_digest=job.digest, buildargs=buildargs,
                                 parent_id=parent[1], platform=self.platform, python=self.python)
        job.inputs, job.parent = inputs, parent
        if self.options.no_cache:
            return inputs
        info = self.engine.inspect(job.step.tag)
        if info is not None and images.labels(info).get(tags.INPUTS_LABEL) == inputs:
            job.image_id, job.status = str(info["Id"]), "skipped"
            job.size_mb, job.note = self.engine.size_mb(info, known=self.sizes), "inputs unchanged"
        elif job.step.name in self.cache_refs:
            self._reuse_pulled(job, inputs)
        return inputs

    def _reuse_pulled(self, job: Job, inputs: str) -> None:
        """Tag the image pulled from --cache-from as this step's when its inputs are the same."""
        ref = self.cache_refs[job.step.name]
        info = self.engine.inspect(ref)
        if info is None or images.labels(info).get(tags.INPUTS_LABEL) != inputs:
            return
        tags.point(str(info["Id"]), job.step.tag)
        job.image_id, job.status = str(info["Id"]), "skipped"
        job.size_mb, job.note = (self.engine.size_mb(info, ref=job.step.tag),
                                 f"inputs unchanged: {ref}")

    def check(self) -> list[Job]:
        """Mark every job whose image is current as skipped; return the rest."""
        if self.options.cache_from:
            from dockbuild.build import cache_from as buildcache

            self.cache_refs = buildcache.seed(
                self.options.cache_from, self.manifest, self.python, self.platform,
                [job.step for job in self.jobs.values()], inspect=self.engine.inspect,
                say=self.view.say)
        if any(job.step.parent is None for job in self.jobs.values()) and \
                not self.options.rebuild_root:
            base = self.manifest.base
            self.root_image = rootimage.find(self.root, base.root_image_for(self.python),
                                             self.manifest.project, self.python, self.platform,
                                             inspect=self.engine.inspect)
        with self.engine.batch(job.step.tag for job in self.jobs.values()):  # one round
            for job in self.jobs.values():
                parent = self._parent(job)
                if parent is not None:
                    self._up_to_date(job, parent)
        return [job for job in self.jobs.values() if job.status != "skipped"]

    # -- the build path ------------------------------------------------------------------
    def build(self, todo: list[Job]) -> None:
        """Build what ``check`` left, base first, services in parallel."""
        from dockbuild.build import capability, wheelhouse  # capability parses: builds only
        from dockbuild.engine import buildx, start

        self.engine.require_space(with_root=self.root_image is None)
        self.engine.ensure()
        start.ensure_buildx()
        buildx.require_same_engine()
        capability.require(self.root, [job.step.dockerfile for job in todo],
                           start.engine_version() or "unknown")
        self.secrets = capability.require_secrets(self.manifest, [j.step.name for j in todo],
                                                  os.environ)
        if self.options.cache_to:
            from dockbuild.engine import registry

            registry.check(self.options.cache_to)
        self.meta = gitinfo.oci_meta(self.root)
        self.view = progress.view()
        suite = rootimage.suite_for(self.python)
        cache = self.root / ".cache" / "wheels"
        requirements = [self.root / path for path in plan.requirement_files(self.manifest)]
        with self.view:
            if any(job.step.parent is None for job in todo) and self.root_image is None:
                self.root_image = rootimage.resolve(
                    self.root, self.manifest.base.root_image_for(self.python),
                    self.manifest.project, self.python, self.platform,
                    inspect=self.engine.inspect, rebuild=self.options.rebuild_root,
                    say=self.view.say)
            self.view.say(f"wheelhouse for Python {self.python} on {self.platform}")
            folder = wheelhouse.prepare(cache, self.python, self.platform, suite, requirements,
                                        say=self.view.say)
            self.contexts = {wheelhouse.CONTEXT: str(folder)}
            self.transport = wheelhouse.build_args()
            self._schedule(todo)

    def _schedule(self, todo: list[Job]) -> None:
        for job in todo:
            self.view.state(job.step.name, "waiting")
        services = sum(1 for job in todo if job.step.parent is not None)
        workers = max(1, min(self.options.jobs or os.cpu_count() or 2, services or 1))
        pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="build")
        futures: dict[str, concurrent.futures.Future[None]] = {}
        try:
            ordered = plan.longest_first(self.manifest, [job.step for job in todo])
            for job in (self.jobs[step.name] for step in ordered):  # parents come first
                waits_for = futures.get(job.step.parent or "")
                futures[job.step.name] = pool.submit(self._one, job, waits_for)
            pending = set(futures.values())
            while pending:
                _done, pending = concurrent.futures.wait(pending, timeout=0.5)
        except KeyboardInterrupt:
            self._cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        for future in futures.values():
            future.result()  # re-raise a bug (not a build failure) from a worker

    def _one(self, job: Job, waits_for: concurrent.futures.Future[None] | None) -> None:
        if waits_for is not None:
            concurrent.futures.wait([waits_for])
        name = job.step.name
        parent = self._parent(job)
        if parent is None or self.interrupted:
            job.status, job.note = "not built", "its parent did not build"
            self.view.state(name, job.status, job.note)
            return
        inputs = self._up_to_date(job, parent)
        if job.status == "skipped":
            self.view.state(name, "skipped", job.note)
            return
        self.view.state(name, "building")
        job.started = started = time.monotonic()
        try:
            job.image_id, job.size_mb = self._send(job, parent, inputs)
            job.status = "built"
        except DockbuildError as exc:
            job.status, job.note = "failed", exc.message.splitlines()[0][:200]
            job.tail = tuple(getattr(exc, "tail", ()))
        job.seconds = time.monotonic() - started
        self.view.state(name, job.status, job.note or f"{job.seconds:.0f} s")

    def _send(self, job: Job, parent: tuple[str, str], inputs: str) -> tuple[str, float]:
        from dockbuild.build import builder
        from dockbuild.build import cache_from as buildcache

        step = job.step
        # BuildKit finds a local image only by tag (a digest reference goes to the
        # registry), so the parent goes by tag, checked to name the hashed id around the build.
        buildargs = {step.parent_arg: parent[0], **self.transport}
        self._same_parent(parent)
        labels = tags.labels(inputs=inputs, title=step.image,
                             created=datetime.datetime.now(datetime.UTC).isoformat(
                                 timespec="seconds"), **self.meta)
        request = builder.Request(
            context=self.root, dockerfile=step.dockerfile.as_posix(), platform=self.platform,
            buildargs=buildargs, labels=labels, contexts=self.contexts,
            secrets=self.secrets.get(step.name, {}),
            nocache=self.options.no_cache,
            cache_from=buildcache.import_args(self.options.cache_from, step),
            cache_to=buildcache.export_args(self.options.cache_to, step))
        build = builder.Build()
        with self.lock:
            if self.interrupted:
                msg = "cancelled"
                raise BuildFailed(msg, [])
            self.active.append(build)
        result = build.run(request, on_line=lambda line: self.view.step(step.name, line))
        self._same_parent(parent)
        job.cached_steps, job.steps = result.cached_steps, result.steps
        job.image_digest = str(result.metadata.get("containerimage.digest", ""))
        with self.lock:
            if self.interrupted:  # never move a tag once the user pressed Ctrl-C
                msg = "cancelled"
                raise BuildFailed(msg, [])
            tags.point(result.image_id, step.tag)
        info = self.engine.inspect(result.image_id) or {"Id": result.image_id}
        return result.image_id, self.engine.size_mb(info, ref=step.tag)

    def _same_parent(self, parent: tuple[str, str]) -> None:
        """Fail the build when the parent's tag no longer names the id its inputs were hashed on."""
        info = self.engine.inspect(parent[0])
        now = str(info["Id"]) if info else "nothing"
        if now != parent[1]:
            msg = (f"{parent[0]} moved during the build (was {parent[1][7:19]}, now {now[7:19]}):"
                   " another build ran at the same time; build again")
            raise BuildFailed(msg, [])

    def _cancel(self) -> None:
        with self.lock:
            self.interrupted = True
            active = list(self.active)
        self.view.say("interrupted: cancelling builds on the engine (no tag moves)")
        for build in active:
            build.cancel()


def run(root: Path, options: Options,
        manifest: manifest_mod.Manifest | None = None) -> list[progress.Row]:
    """Build what ``options`` names (``manifest``: already loaded); raise when an image failed."""
    build_run = Run(root, options, manifest)
    todo = build_run.check()
    if todo:
        before = build_run.engine.container_ids()
        try:
            with signals.sigterm_as_interrupt():  # a cancelled CI job cancels its builds too
                build_run.build(todo)
        except KeyboardInterrupt:
            build_run.engine.wait_for_cleanup(before, say=build_run.view.say)
            raise
        outcome.require_engine(build_run.jobs.values(), build_run.engine.answers)
    return outcome.finish(root, list(build_run.jobs.values()))
