"""One function per verb. tasks.py, noxfile.py and ``python -m dockbuild`` all call these."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockbuild import logs, runlock
from dockbuild.errors import ChecksFailed, InputError
from dockbuild.repo import Root, resolve_root
from dockbuild.repo import of as _repo

if TYPE_CHECKING:  # the manifest's YAML reader loads only for the verbs that read it
    from dockbuild.inputs import manifest as manifest_mod


def check_manifest(root: Path | str | None = None) -> manifest_mod.Manifest:
    """Load and validate the manifest; print a one-line summary."""
    manifest = _repo(root).load()
    waves = " -> ".join(wave[0] if len(wave) == 1 else "{" + ", ".join(wave) + "} in parallel"
                        for wave in manifest.build_waves())
    print(f"{manifest.path}: ok: base {manifest.base.name}, {len(manifest.services)} services"
          f" ({', '.join(manifest.services)}); python {', '.join(manifest.variants.python)};"
          f" platforms {', '.join(manifest.variants.platforms)}; build order: {waves}")
    return manifest


def engine_up(root: Path | str | None = None) -> str:
    """Make sure a Docker engine answers, starting a local one when this machine allows it."""
    from dockbuild.engine import start as engine

    try:
        state_dir = resolve_root(root) / ".cache"
    except InputError:
        state_dir = None
    version = engine.ensure_engine(state_dir)
    buildx = engine.ensure_buildx()
    emulation = "arm64 emulation on" if engine.enable_emulation() else "no arm64 emulation"
    print(f"Docker engine {version} answers, buildx {buildx} ({emulation})")
    return version


def build(root: Root = None, *, python: str | None = None,
          platform: str | None = None, services: Sequence[str] = (), no_cache: bool = False,
          rebuild_root: bool = False, base: bool = True, include_services: bool = True,
          cache_from: str | None = None, cache_to: str | None = None,
          jobs: str | int | None = None, changed_since: str | None = None,
          shard: str | None = None) -> list[Any]:
    """Build the base, then the services in parallel; skip images whose inputs did not change."""
    from dockbuild.build import changes
    from dockbuild.build import run as buildrun
    from dockbuild.inputs import settings

    logs.to_stderr()
    repo = _repo(root)
    chosen = changes.select(repo.root, repo.load(), tuple(services), changed_since, shard)
    if chosen is not None:
        services = [name for name in chosen if name in repo.load().services]
        if not services:
            why = f"changed since {changed_since}" if changed_since else f"in shard {shard}"
            print(f"nothing to build: no service {why}")
            return []
    options = buildrun.Options(python=python, platform=platform, services=tuple(services),
                               base=base, include_services=include_services,
                               no_cache=no_cache, rebuild_root=rebuild_root,
                               cache_from=cache_from, cache_to=cache_to,
                               jobs=settings.jobs(jobs))
    with runlock.engine(repo.root, "inv build"):
        return buildrun.run(repo.root, options, manifest=repo.manifest)


def status(root: Root = None, *, python: str | None = None, platform: str | None = None,
           fmt: str = "text", changed_since: str | None = None) -> list[Any]:
    """Print each image's state per variant (current, stale and why, missing), without building."""
    from dockbuild import status as status_mod
    from dockbuild.build import changes

    repo = _repo(root)
    chosen = changes.select(repo.root, repo.load(), (), changed_since, None)
    keep = {i.image for i in repo.load().images() if chosen is None or i.name in chosen}
    found = [row for row in status_mod.rows(repo.root, python, platform, repo.load())
             if row.image in keep]
    sys.stdout.write(status_mod.render(found, fmt))
    return found


def matrix(root: Root = None, *, changed_since: str | None = None, shards: str = "1") -> dict:
    """Print the CI matrix (variant x shard) of the images to build, as JSON."""
    import json

    from dockbuild.build import changes
    repo = _repo(root)
    cells = changes.matrix(repo.root, repo.load(), changed_since=changed_since, shards=shards)
    print(json.dumps(cells))
    return cells


def clean(root: Root = None, *, what: Sequence[str] = (), dry_run: bool = False) -> list[str]:
    """List what this project keeps; remove the targets ``what`` names (see dockbuild.clean)."""
    from dockbuild import clean as clean_mod

    return clean_mod.run(_repo(root).root, what, dry_run=dry_run)


def bake(root: Root = None, *, python: str | None = None, platform: str | None = None,
         output: str | None = None) -> dict[str, Any]:
    """Print (or write) the docker-bake definition of one variant's images."""
    from dockbuild.build import bake as bake_mod

    repo = _repo(root)
    return bake_mod.run(repo.root, repo.load(), python=python, platform=platform, output=output)


def push(root: Path | str | None = None, *, registry: str, python: str | None = None,
         platform: str | None = None, services: Sequence[str] = ()) -> list[Any]:
    """Push one Python variant's images per platform, then a manifest list per image."""
    from dockbuild.release import push as push_mod

    logs.to_stderr()
    folder = resolve_root(root)
    with runlock.engine(folder, "inv push"):
        pushed = push_mod.run(folder, registry, python=python, platform=platform,
                              services=services)
    print(push_mod.summary(pushed))
    return pushed


def build_base(root: Path | str | None = None, *, python: str | None = None,
               platform: str | None = None, no_cache: bool = False,
               rebuild_root: bool = False, cache_from: str | None = None,
               cache_to: str | None = None) -> list[Any]:
    """Resolve the root Python image (pull, or build it from Debian packages) and build the base."""
    return build(root, python=python, platform=platform, no_cache=no_cache,
                 rebuild_root=rebuild_root, include_services=False, cache_from=cache_from,
                 cache_to=cache_to)


def build_services(root: Path | str | None = None, *, python: str | None = None,
                   platform: str | None = None, services: Sequence[str] = (),
                   no_cache: bool = False) -> list[Any]:
    """Build the services FROM the already built base, in parallel."""
    return build(root, python=python, platform=platform, services=services,
                 no_cache=no_cache, base=False)


def doctor(root: Path | str | None = None) -> None:
    """Say what a build needs that is missing (engine, arm64 emulation, disk, tools) and the fix."""
    from dockbuild import doctor as doctor_mod

    try:
        folder = resolve_root(root)
    except InputError:
        folder = None
    doctor_mod.run(folder)


def image_test(root: Root = None, *, config: str | None = None,
               image: str | None = None, fmt: str = "text", output: str | None = None,
               services: Sequence[str] = (), python: str | None = None,
               platform: str | None = None, smoke: bool = True,
               changed_since: str | None = None, shard: str | None = None) -> list[Any]:
    """Run structure, manifest and smoke tests of built images; promote those that pass."""
    import dataclasses

    from dockbuild.build import changes
    from dockbuild.imagetest import run as imagetest
    from dockbuild.imagetest.results import FORMATS, as_text, recap, summary, timed

    options = imagetest.Options(config=Path(config) if config else None, image=image,
                                services=tuple(services), python=python, platform=platform,
                                smoke=smoke, fmt=fmt)
    imagetest.check_options(options)
    say = (lambda line: print(line, file=sys.stderr)) if fmt != "text" or output else print
    with timed() as timer:
        if options.config is not None:
            try:
                manifest = _repo(root).load()
            except InputError:
                manifest = None  # one file against one image needs no repository
            results = imagetest.run_file(options, manifest, say=say)
        else:
            repo = _repo(root)
            chosen = changes.select(repo.root, repo.load(), options.services, changed_since,
                                    shard)
            if chosen == ():  # an empty choice tests nothing, not everything
                say("nothing to test: no image changed, or none in this shard")
                results = []
            else:
                if chosen:
                    options = dataclasses.replace(options, services=chosen)
                with runlock.engine(repo.root, "inv image-test"):
                    results = imagetest.run_all(options, repo.load(), say=say)
    if output:
        Path(output).write_text(FORMATS[fmt](results) + "\n", encoding="utf-8")
        print(as_text([r for r in results if r.failed]) or "no failure")
    else:
        print(FORMATS[fmt](results))
    for line in ["", "failures by image and cause:", *recap(results)] if any(
            r.failed for r in results) else []:
        say(line)
    say(f"image-test: {summary(results)} in {timer.seconds:.1f} s")
    if options.config is not None and not results:
        # container-structure-test fails a file that runs no test at all
        msg = f"{options.config} holds no test to run"
        raise ChecksFailed(msg)
    failed = [r for r in results if r.failed]
    if failed:
        msg = f"{len(failed)} image test(s) failed: " + ", ".join(
            f"{r.subject} {r.name}" for r in failed[:5]) + (" ..." if len(failed) > 5 else "")
        raise ChecksFailed(msg)
    return results


def lint(root: Root = None, *, fmt: str = "text", output: str | None = None,
         no_cache: bool = False, show_ignored: bool = False) -> int:
    """Run hadolint and the policy rules; print or write the findings in ``fmt``.

    Returns 0 when no finding is an error; raises ChecksFailed (exit 1) for
    error findings and InputError (exit 2) when a Dockerfile cannot be parsed.
    """
    from dockbuild.lint import formats
    from dockbuild.lint import run as lint_mod

    if fmt not in formats.FORMATS:
        msg = f"unknown format {fmt!r}"
        raise InputError(msg, hint=f"use one of {', '.join(formats.FORMATS)}")
    repo = _repo(root)
    result = repo.lint = lint_mod.run(repo.root, use_cache=not no_cache, manifest=repo.manifest)
    colour = (fmt == "text" and output is None and sys.stdout.isatty()
              and "NO_COLOR" not in os.environ)
    text = result.output(f"{fmt}:{colour}:{show_ignored}", lambda r: formats.render(
        fmt, r.records, r.tools, colour=colour, show_ignored=show_ignored))
    if output:
        Path(output).write_text(text, encoding="utf-8")
        summary = result.output("summary", lambda r: formats.summary_line(r.records))
        print(f"lint: {summary} (written to {output})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    result.refuse_unusable()
    if result.errors:
        msg = f"lint found {result.errors} error(s)"
        raise ChecksFailed(msg)
    return 0


def docs(root: Path | str | None = None, *, check: bool = False) -> Path:
    """Write docs/rules.md from the rules' docstrings (``check``: fail when it is stale)."""
    from dockbuild.lint import ruledocs

    return ruledocs.write(resolve_root(root), check=check)


def report(root: Root = None, *, lang: str | None = None,
           baseline: str | None = None, output: str = "reports", python: str | None = None,
           platform: str | None = None, merge: Sequence[str] = ()) -> list[Path]:
    """Write the alignment report (ko/en Markdown, results.json, junit.xml, lint.sarif)."""
    from dockbuild.report import run as report_run

    repo = _repo(root)
    written = report_run.run(repo.root, lang=lang, baseline=baseline, output=output,
                             python=python, platform=platform, manifest=repo.load(),
                             lint_records=repo.lint.records if repo.lint else None,
                             since=repo.since, merge=merge)
    for path in written.paths:
        print(f"wrote {path}")
    repo.coverage = (written.coverage.complete, written.coverage.line("en"))
    print(f"coverage: {repo.coverage[1]}")
    return written.paths


def verify(root: Path | str | None = None, *, python: str | None = None,
           platform: str | None = None, services: Sequence[str] = (),
           baseline: str | None = None, lang: str | None = None,
           cache_from: str | None = None, cache_to: str | None = None,
           changed_since: str | None = None, shard: str | None = None) -> None:
    """Run lint, build, image-test and report, continuing past failures; fail if any failed.

    The summary ends with what this run verified: the report covers every
    variant, and only cells built and tested passing since verify began count.
    """
    from dockbuild import runstore, workflow
    from dockbuild.build import plan
    from dockbuild.inputs import variants

    repo = _repo(root)
    manifest = repo.load()  # once, up front: nothing can be checked or reported without it
    # a wrong --service, --python or --platform stops verify before its first step
    plan.plan(manifest, *variants.target(manifest, python, platform), services=services)
    repo.since = runstore.now_iso()
    given = {"python": python, "platform": platform, "services": services,
             "baseline": baseline, "lang": lang, "cache_from": cache_from, "cache_to": cache_to,
             "changed_since": changed_since, "shard": shard}
    verbs = {"lint": lint, "build": build, "image_test": image_test, "report": report}
    with runlock.engine(repo.root, "inv verify"):  # its build and image-test see no other run
        workflow.run(workflow.STEPS, lambda step: verbs[step.verb](repo, **step.pick(given)),
                     coverage=lambda: repo.coverage)

