"""``inv image-test``: structure tests, manifest-derived checks and smoke tests of built images.

With ``--config FILE --image REF`` it runs one container-structure-test file
against one image. Without, it tests every built image of one variant: the
image's file in docker/tests/, the checks derived from the manifest, then the
smoke tests; images that pass everything get ``:latest`` (promotion).
"""

from __future__ import annotations

import dataclasses
import platform as host
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockbuild import gitinfo, runlock, runstore
from dockbuild.engine import client, images, rawapi, tags
from dockbuild.errors import InputError, Location
from dockbuild.evidence import Evidence
from dockbuild.imagetest import cleanup, promotion
from dockbuild.imagetest.cst import runner, schema
from dockbuild.imagetest.results import (
    FAIL,
    FORMATS,
    PASS,
    SKIP,
    Tested,
    bind,
    outcome,
    summary,
    timed,
)
from dockbuild.inputs import variants

if TYPE_CHECKING:
    from dockbuild.inputs.manifest import Manifest

TESTS_DIR = Path("docker/tests")
#: Smoke containers use the host's network (the API binds port 8000 as it ships):
#: one smoke run per host at a time, whichever repository it comes from.
SMOKE_LOCK = Path(tempfile.gettempdir()) / "dockbuild-locks" / "smoke-host-network.lock"
_PROMOTE = ("테스트를 통과한 이미지만 :latest가 된다",
            "only an image that passed its tests becomes :latest")
_BUILT = ("이미지가 빌드되어 있다", "the image is built")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """What the user asked for on the command line."""

    config: Path | None = None
    image: str | None = None
    services: tuple[str, ...] = ()
    python: str | None = None
    platform: str | None = None
    smoke: bool = True
    promote: bool = True
    fmt: str = "text"


def check_options(options: Options) -> None:
    """Refuse option combinations that cannot work, before any engine is asked."""
    if options.fmt not in FORMATS:
        msg = f"unknown --format {options.fmt!r}"
        raise InputError(msg, hint=f"use one of {', '.join(FORMATS)}")
    if (options.config is None) != (options.image is None):
        msg = "--config and --image go together"
        raise InputError(msg, hint="give both to run one file against one image, or neither")
    if options.config is not None and options.services:
        msg = "--service cannot be combined with --config"
        raise InputError(msg)


def host_platform() -> str:
    """Return the platform this machine runs natively: linux/amd64 or linux/arm64."""
    machine = host.machine().lower()
    return "linux/arm64" if machine in ("aarch64", "arm64") else "linux/amd64"


def run_file(options: Options, manifest: Manifest | None,
             say: Callable[[str], None] = print) -> list[Evidence]:
    """Run one structure-test file against one image."""
    assert options.config is not None and options.image is not None
    python, platform = _cell(options, manifest)
    tests = schema.load(options.config, variant=schema.Variant(python, platform))
    ref = options.image
    if not (tests.command_tests or tests.file_existence_tests or tests.file_content_tests
            or tests.license_tests):
        # Metadata only: one raw GET answers it, without the docker SDK (~0.3 s to import).
        try:
            info = images.inspect(ref, sdk=False)
        except rawapi.Unreachable:
            info = None  # TLS or ssh, or no engine yet: the SDK path below
        if info is not None:
            results = runner.Runner(None, ref, variant=tags.variant(python, platform),
                                    config=info.get("Config") or {}).run(tests)
            tested = {ref: Tested(str(info.get("Id", "")), runstore.now_iso())}
            return bind(results, tested,
                        revision=gitinfo.head(manifest.root) if manifest else "")
    from dockbuild.engine import start as engine

    engine.ensure_engine()
    docker_client = client.connect(client.TEST_TIMEOUT_S)
    try:
        info = images.inspect(ref, api=docker_client.api)
        if info is None:
            msg = f"--image {ref} is not on the engine"
            raise InputError(msg, hint="build or load it first (`inv build`, `docker load`)")
        emulated = _arch(info) != host_platform().rsplit("/", 1)[1]
        tested = {ref: Tested(str(info.get("Id", "")), runstore.now_iso())}
        with cleanup.run_scope(docker_client, say=say) as scope:
            results = runner.Runner(docker_client, ref, variant=tags.variant(python, platform),
                                    emulated=emulated, labels=scope.labels).run(tests)
        return bind(results, tested, revision=gitinfo.head(manifest.root) if manifest else "")
    finally:
        docker_client.close()


def run_all(options: Options, manifest: Manifest,
            say: Callable[[str], None] = print) -> list[Evidence]:
    """Test every built image of one variant; promote those that pass everything."""
    from dockbuild.imagetest import checks as imagechecks
    from dockbuild.imagetest import contents

    python, platform = _cell(options, manifest)
    variant = tags.variant(python, platform)
    names = _selected(options, manifest)
    emulated = platform != host_platform()
    # Parse every test file first: a bad file is exit 2 before anything runs.
    files = {}
    for name in names:
        path = _tests_file(manifest, name)
        if (manifest.root / path).is_file():
            files[name] = schema.load(manifest.root / path, shown_as=path,
                                      variant=schema.Variant(python, platform))
    from dockbuild.engine import start as engine

    engine.ensure_engine()
    docker_client = client.connect(client.TEST_TIMEOUT_S)
    results: list[Evidence] = []
    tested: dict[str, Tested] = {}  # ref -> the image id its tests ran against
    try:
        with cleanup.run_scope(docker_client, say=say) as scope:
            base = manifest.base
            base_ref = tags.variant_tag(base.image, python, platform)
            base_setid: tuple[str, ...] | None = None
            for name in names:
                image = manifest.get(name)
                ref = tags.variant_tag(image.image, python, platform)
                info = images.inspect(ref, api=docker_client.api)
                if info is None:
                    results.append(_missing(ref, variant, image.where))
                    continue
                tested[ref] = Tested(str(info.get("Id", "")), runstore.now_iso())
                say(f"testing {ref}")
                if name in files:
                    cst = runner.Runner(docker_client, ref, variant=variant, emulated=emulated,
                                        labels=scope.labels)
                    results += cst.run(files[name])
                if name != base.name and base_setid is None and \
                        images.inspect(base_ref, api=docker_client.api):
                    _, base_facts = imagechecks.check(docker_client, manifest, imagechecks.Subject(
                        image=base, ref=base_ref, variant=variant), scope.labels)
                    base_setid = tuple(base_facts["setid"])
                subject = imagechecks.Subject(
                    image=image, ref=ref, variant=variant,
                    base_ref=None if name == base.name else base_ref,
                    base_setid=None if name == base.name else base_setid)
                checked, facts = imagechecks.check(docker_client, manifest, subject, scope.labels)
                checked += contents.check(manifest, image, ref, variant, info, scope.labels, say)
                if name == base.name:
                    base_setid = tuple(facts["setid"])
                results += checked
                say(f"  {ref}: {summary([r for r in results if r.subject == ref])}")
            if options.smoke and not emulated:
                from dockbuild.imagetest.smoke import scenarios

                with runlock.hold(SMOKE_LOCK, "inv image-test's smoke tests", say=say,
                                  shared=True):
                    results += scenarios.run(docker_client, manifest, names, python, platform,
                                             scope, say=say)
            elif options.smoke:
                results += [_smoke_skipped(manifest, name, python, platform) for name in names
                            if name in manifest.services and manifest.services[name].smoke]
        results = bind(results, tested, revision=gitinfo.head(manifest.root) or "")
        if options.promote:
            results += _promote(docker_client, manifest, names, (python, platform), results,
                                smoke=options.smoke, say=say)
    finally:
        docker_client.close()
    # Merged per image: images this run did not test keep their last records.
    runstore.save(manifest.root, "image-test", variant, results)
    return results


def _promote(docker_client: Any, manifest: Manifest, names: list[str], cell: tuple[str, str],
             results: list[Evidence], *, smoke: bool,
             say: Callable[[str], None]) -> list[Evidence]:
    """Move ``:latest`` for each image whose evidence is complete; record and say what happened."""
    python, platform = cell
    if not tags.is_default(manifest.variants, python, platform):
        return []  # only the default variant owns :latest
    records = []
    variant, revision = tags.variant(python, platform), gitinfo.head(manifest.root) or ""
    for name in names:
        image = manifest.get(name)
        ref = tags.variant_tag(image.image, python, platform)
        tested = next((r.image_id for r in results if r.subject == ref and r.image_id), "")
        smoke_declared = name in manifest.services and bool(manifest.services[name].smoke)
        decision = promotion.decide(ref, tested, results, smoke_declared=smoke_declared,
                                    smoke_ran=smoke, emulated=platform != host_platform())
        moved = None
        with timed() as timer:
            if decision.ok:
                moved = tags.promote(manifest, name, python, platform, api=docker_client.api,
                                     image_id=tested)
        latest = tags.latest_tag(image.image)
        if moved is not None:
            text, status = f"{moved} -> {tested} ({ref})", PASS
        elif decision.ok:
            text, status = f"{latest} not moved: {ref} changed while it was tested", SKIP
        else:
            text, status = f"{latest} not moved: {decision.why}", SKIP
        say(f"promote: {text}")
        records.append(outcome(
            check=promotion.PROMOTE_CHECK, name="promote", image=ref, variant=variant,
            status=status, message=text, where=Location(manifest.path, image.where.line),
            requirement=_PROMOTE, duration_s=timer.seconds, image_id=tested,
            revision=revision, produced_at=runstore.now_iso()))
    return records


def _smoke_skipped(manifest: Manifest, name: str, python: str, platform: str) -> Evidence:
    image = manifest.services[name]
    return outcome(
        check="smoke", name="smoke", image=tags.variant_tag(image.image, python, platform),
        variant=tags.variant(python, platform), status=SKIP,
        message=f"smoke tests run natively only; {platform} is emulated on this machine",
        where=Location(manifest.path, image.line_of("smoke") or image.where.line),
        requirement=("서비스가 배포된 그대로 실행된다", "the service runs as shipped"))


def _cell(options: Options, manifest: Manifest | None) -> tuple[str, str]:
    if manifest is None:  # one file against one image: nothing to check the variant against
        return options.python or "3.11", options.platform or host_platform()
    return variants.target(manifest, options.python, options.platform)


def _selected(options: Options, manifest: Manifest) -> list[str]:
    if not options.services:
        return manifest.names()
    for name in options.services:
        manifest.get(name)  # unknown names are exit 2 with the known ones listed
    return [name for name in manifest.names() if name in options.services]


def _tests_file(manifest: Manifest, name: str) -> Path:
    return TESTS_DIR / ("base.yaml" if name == manifest.base.name else f"{name}.yaml")


def _arch(info: dict[str, Any]) -> str:
    return str(info.get("Architecture", "amd64"))


def _missing(ref: str, variant: str, where: Location) -> Evidence:
    return outcome(check="image.built", name="built", image=ref, variant=variant, status=FAIL,
                   message=f"{ref} is not on the engine: build it first (`inv build`)",
                   where=where, requirement=_BUILT)
