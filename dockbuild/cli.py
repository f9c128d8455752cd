"""Every verb and its options, declared once: ``inv`` and ``python -m dockbuild`` are built from it.

Importing this module is cheap (no docker SDK, no rich, no commands): the
registries that supply choices are imported only when a help text needs them.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from collections.abc import Mapping
from typing import Any

#: The one meaning of each short flag, in every verb that has the long option.
#: Letters that would mean two things (-p: --platform or --python) are left out.
SHORT_FLAGS = {"r": "root", "s": "service", "f": "format", "o": "output", "n": "no-cache",
               "b": "baseline", "i": "image"}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One option of a verb: ``--name VALUE``, or ``--name`` alone when ``flag``."""

    name: str
    help: str
    metavar: str = "VALUE"
    flag: bool = False
    repeatable: bool = False
    required: bool = False
    default: str | None = None
    #: What leaving the option out means, when that is not ``default`` itself.
    default_means: str = ""
    #: ``module:NAME`` of the registry whose keys are the accepted values.
    choices: str = ""
    extra_choices: tuple[str, ...] = ()
    #: The keyword of the commands function, when it is not the option's own name.
    keyword: str = ""
    #: A flag that turns the keyword off: ``--no-smoke`` is ``smoke=False``.
    negate: bool = False

    @property
    def dest(self) -> str:
        """Return the Python name of the parsed value: ``no_cache`` for ``--no-cache``."""
        return self.name.replace("-", "_")

    @property
    def short(self) -> str | None:
        """Return the one-letter flag of this option, if it has one."""
        return next((letter for letter, name in SHORT_FLAGS.items() if name == self.name), None)


@dataclasses.dataclass(frozen=True, slots=True)
class Verb:
    """One command: ``inv NAME`` and ``python -m dockbuild NAME`` call ``commands.<name>``."""

    name: str
    summary: str
    options: tuple[Option, ...]

    @property
    def function(self) -> str:
        """Return the name of the commands function that does the work."""
        return self.name.replace("-", "_")

    def option(self, name: str) -> Option:
        """Return the option called ``name`` (dashed or underscored)."""
        return next(o for o in self.options if name in (o.name, o.dest))


ROOT = Option(name="root", metavar="DIR", help="repository to work on",
              default_means="found from the current directory")
_PLATFORM = Option(name="platform", metavar="PLATFORM",
                   help="linux/amd64 or linux/arm64, arm64 under QEMU",
                   default_means="the manifest's variants.default")
_PYTHON = Option(name="python", metavar="VERSION", help="Python version of the images, e.g. 3.13",
                 default_means="the manifest's variants.default")
_SERVICE = Option(name="service", metavar="NAME", repeatable=True, keyword="services",
                  help="only this service", default_means="all")
_NO_CACHE = Option(name="no-cache", flag=True,
                   help="rebuild even images whose inputs did not change, without the engine's"
                        " cache")
_REBUILD_ROOT = Option(name="rebuild-root", flag=True,
                       help="rebuild the root Python image made from Debian packages")
_LANG = Option(name="lang", metavar="LANG", help="language of the report",
               choices="dockbuild.report.write:LANGS", extra_choices=("all",),
               default_means="the manifest's lang")
_BASELINE = Option(name="baseline", metavar="REF",
                   help="git ref that section 5 compares CMD, ports and constants against",
                   default_means="the merge base with main")
_CACHE_FROM = Option(name="cache-from", metavar="HOST:PORT", default_means="none",
                     help="registry whose pushed images seed this engine (same inputs are reused"
                          " as they are) and whose BuildKit cache the other builds import")
_CACHE_TO = Option(name="cache-to", metavar="HOST:PORT", default_means="none",
                   help="registry that receives each build's BuildKit cache (mode=max), for"
                        " --cache-from on another engine or CI run")
_JOBS = Option(name="jobs", metavar="N", help="services built at once",
               default_means="DOCKBUILD_JOBS, else one per CPU core")
_CHANGED_SINCE = Option(name="changed-since", metavar="REF", default_means="every image",
                        help="only images whose inputs differ from git REF, and their children")
_SHARD = Option(name="shard", metavar="K/N", default_means="all",
                help="only the K-th of N shares of the services (the base in every one)")
_MATRIX_PYTHON = dataclasses.replace(_PYTHON, help="only this Python variant in the image matrix",
                                     default_means="all")
_MATRIX_PLATFORM = dataclasses.replace(_PLATFORM, default_means="all",
                                       help="only this platform variant in the image matrix")


def _format(registry: str, what: str) -> Option:
    return Option(name="format", metavar="FORMAT", help=f"format of the {what}", default="text",
                  choices=registry, keyword="fmt")


VERBS: tuple[Verb, ...] = (
    Verb("check-manifest", "Validate docker/services.yaml (the SSOT) and print its build order.",
         (ROOT,)),
    Verb("engine-up", "Make sure a Docker engine answers; as root on Debian, install and start"
         " one.", (ROOT,)),
    Verb("lint", "Hadolint plus the alignment policy on every Dockerfile the manifest names.", (
        ROOT, _format("dockbuild.lint.formats:FORMATS", "findings"),
        Option(name="output", metavar="FILE", help="write the findings to this file",
               default_means="stdout"),
        Option(name="no-cache", flag=True,
               help="lint everything again, ignoring .cache/lint (and writing it anew)"),
        Option(name="show-ignored", flag=True,
               help="list each ignored or disabled rule with its reason (text format)"),
    )),
    Verb("docs", "Write docs/rules.md from the lint rules' docstrings.", (
        ROOT, Option(name="check", flag=True,
                     help="fail when docs/rules.md is out of date instead of writing it"),
    )),
    Verb("doctor", "Say what a build needs that is missing (engine, QEMU, disk, tools), and the"
         " fix.", (ROOT,)),
    Verb("build-base", "Resolve the root Python image (pull, or build it from Debian packages) and"
         " build the base.", (ROOT, _PLATFORM, _PYTHON, _NO_CACHE, _REBUILD_ROOT, _CACHE_FROM,
                               _CACHE_TO)),
    Verb("build-services", "Build the services FROM the base, in parallel, skipping those whose"
         " inputs did not change.", (ROOT, _PLATFORM, _PYTHON, _SERVICE, _NO_CACHE)),
    Verb("build", "build-base then build-services: every image of one variant, unchanged ones"
         " skipped.", (
             ROOT, _PLATFORM, _PYTHON, _SERVICE, _NO_CACHE, _REBUILD_ROOT,
             _CACHE_FROM, _CACHE_TO, _JOBS, _CHANGED_SINCE, _SHARD,
         )),
    Verb("matrix", "Print the CI matrix (JSON) of the images to build: variant x shard.", (
             ROOT, _CHANGED_SINCE,
             Option(name="shards", metavar="N", default="1", help="shards per variant"),
         )),
    Verb("status", "Say, without building, which images are current, stale (and which input"
         " changed) or missing, tested and promoted.", (
             ROOT, _MATRIX_PYTHON, _MATRIX_PLATFORM, _format("dockbuild.status:FORMATS", "table"),
             _CHANGED_SINCE,
         )),
    Verb("clean", "List what this project keeps (caches, reports, old images, leftover test"
         " containers) and remove what --what names.", (
             ROOT,
             Option(name="what", metavar="NAME", repeatable=True, choices="dockbuild.clean:NAMES",
                    help="remove this (repeatable)", default_means="remove nothing, list all"),
             Option(name="dry-run", flag=True, help="list what --what names, remove nothing"),
         )),
    Verb("bake", "Print the docker-bake definition (JSON) of one variant's images: `docker buildx"
         " bake -f FILE` builds them without this tool.", (
             ROOT, _PLATFORM, _PYTHON,
             Option(name="output", metavar="FILE", help="write the definition to this file",
                    default_means="stdout"),
         )),
    Verb("push", "Push the variant tags and a multi-platform manifest list per image to a"
         " registry.", (
             Option(name="registry", metavar="HOST:PORT", required=True,
                    help="the registry: plain HTTP on 127.0.0.1, HTTPS elsewhere"),
             ROOT, dataclasses.replace(_PYTHON, help="Python variant to push, e.g. 3.13"),
             dataclasses.replace(_PLATFORM, help="only this platform",
                                 default_means="every platform of the manifest"),
             dataclasses.replace(_SERVICE, help="only this service and its parents"),
         )),
    Verb("image-test", "Structure, manifest and smoke tests of built images; an image of the"
         " default variant whose every test passed for its id moves :latest.", (
             ROOT,
             Option(name="config", metavar="FILE", default_means="the images' own tests",
                    help="one container-structure-test file to run (with --image)"),
             Option(name="image", metavar="IMAGE", default_means="none",
                    help="the image --config runs against, e.g. academy-api:py3.11-amd64"),
             _format("dockbuild.imagetest.results:FORMATS", "results"),
             Option(name="output", metavar="FILE", default_means="stdout",
                    help="write the results to this file; stdout then gets the failures only"),
             dataclasses.replace(_SERVICE, help="only this image",
                                 default_means="the base and every service"),
             dataclasses.replace(_PYTHON, help="Python variant, e.g. 3.13"),
             _PLATFORM,
             Option(name="no-smoke", flag=True, keyword="smoke", negate=True,
                    help="skip the smoke tests (they never run under emulation); partial"
                         " evidence, so :latest does not move"),
             _CHANGED_SINCE, _SHARD,
         )),
    Verb("report", "Write the alignment report (ko/en Markdown, JSON, JUnit, SARIF) from evidence.",
         (ROOT, _LANG, _BASELINE,
          Option(name="output", metavar="DIR", default="reports",
                 help="folder for the report files"),
          _MATRIX_PYTHON, _MATRIX_PLATFORM,
          Option(name="merge", metavar="PATH", repeatable=True,
                 default_means="this machine's results",
                 help="one report from runners' evidence (a report folder or its"
                      " evidence.json), each image from the runner that built it"))),
    Verb("verify", "lint, build, image-test of one variant, then the report of every variant;"
         " exit 0 only when every step held, the summary ending with which variants and images"
         " were verified.", (
        ROOT, dataclasses.replace(_PYTHON, help="Python variant to build and test, e.g. 3.13"
                                                " (the report still covers every variant)"),
        dataclasses.replace(_PLATFORM, help="platform variant to build and test"),
        _SERVICE, _BASELINE, _LANG, _CACHE_FROM, _CACHE_TO, _CHANGED_SINCE, _SHARD,
    )),
)


def verb(name: str) -> Verb:
    """Return the verb called ``name`` (dashed, or underscored as invoke's task bodies are)."""
    return next(v for v in VERBS if name in (v.name, v.function))


def choices(option: Option) -> tuple[str, ...]:
    """Return the values ``option`` accepts, read from its registry; () when any value goes."""
    if not option.choices:
        return ()
    module, _, attribute = option.choices.partition(":")
    return (*getattr(importlib.import_module(module), attribute), *option.extra_choices)


def describe(option: Option) -> str:
    """Return the help text of ``option``: what it does, its values and its real default."""
    text = option.help
    if option.choices:
        text += f": {', '.join(choices(option))}"
    if option.flag:
        return text
    notes = ["repeatable"] if option.repeatable else []
    if option.required:
        notes.append("required")
    else:
        notes.append(f"default: {option.default or option.default_means}")
    return f"{text} ({'; '.join(notes)})"


def missing(verb: Verb, values: Mapping[str, Any]) -> list[Option]:
    """Return the required options of ``verb`` that ``values`` lacks."""
    return [o for o in verb.options if o.required and values.get(o.dest) in (None, "")]


def call(verb: Verb, values: Mapping[str, Any]) -> Any:
    """Run ``commands.<verb>`` with parsed values, keyed by ``Option.dest``, as its keywords."""
    from dockbuild import commands

    kwargs: dict[str, Any] = {}
    for option in verb.options:
        value = values.get(option.dest, False if option.flag else option.default)
        if option.repeatable:
            value = tuple(value or ())
        elif option.negate:
            value = not value
        kwargs[option.keyword or option.dest] = value
    return getattr(commands, verb.function)(**kwargs)


def output_dropped() -> None:
    """End quietly when the reader stopped early (``inv --help | head``): exit 141.

    The rest of the output is dropped, as other command-line tools do, instead
    of a BrokenPipeError traceback.
    """
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(141) from None  # 128 + SIGPIPE, what a shell reports
