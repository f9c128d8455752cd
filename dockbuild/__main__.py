"""``python -m dockbuild VERB``: the same verbs as ``inv``, for machines without invoke."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from dockbuild import commands
from dockbuild.errors import DockbuildError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockbuild",
        description="Lint, build, test and report the academy images from docker/services.yaml.",
        epilog="Exit codes: 0 all good, 1 checks failed, 2 unusable input or environment.",
    )
    parser.add_argument("--root", help="repository to work on (default: found from the cwd)")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs.add_parser("check-manifest", help="validate docker/services.yaml")
    verbs.add_parser("engine-up",
                     help="make sure a Docker engine answers (starts one when possible)")
    verbs.add_parser("doctor", help="say what a build needs that is missing, and how to fix it")
    for verb, what in (("build-base", "resolve the root Python image and build the base"),
                       ("build-services", "build the services FROM the base, in parallel"),
                       ("build", "build-base then build-services")):
        sub = verbs.add_parser(verb, help=what)
        sub.add_argument("--platform", help="linux/amd64 or linux/arm64 (default: the manifest's)")
        sub.add_argument("--python", help="Python version, e.g. 3.13 (default: the manifest's)")
        sub.add_argument("--no-cache", action="store_true", help="rebuild even unchanged images")
        if verb != "build-base":
            sub.add_argument("--service", action="append", default=[],
                             help="only this service (repeatable)")
        if verb != "build-services":
            sub.add_argument("--rebuild-root", action="store_true",
                             help="rebuild the Debian-made root Python image")
        if verb == "build":
            sub.add_argument("--cache-from", metavar="HOST:PORT",
                             help="reuse images and layers pushed to this registry")
    push = verbs.add_parser("push", help="push the variant tags and a manifest list per image")
    push.add_argument("--registry", required=True, metavar="HOST:PORT", help="the registry")
    push.add_argument("--python", help="Python variant (default: the manifest's)")
    push.add_argument("--platform", help="only this platform (default: all of the manifest's)")
    push.add_argument("--service", action="append", default=[],
                      help="only this service and its parents (repeatable)")
    _image_test_parser(verbs)
    lint = verbs.add_parser("lint", help="hadolint plus the alignment policy on every Dockerfile")
    lint.add_argument("--format", default="text", choices=("text", "json", "sarif", "junit"))
    lint.add_argument("--output", help="write the report to this file instead of stdout")
    lint.add_argument("--no-cache", action="store_true", help="ignore and do not write .cache/lint")
    docs = verbs.add_parser("docs", help="write docs/rules.md from the rules' docstrings")
    docs.add_argument("--check", action="store_true", help="fail when docs/rules.md is stale")
    _report_parsers(verbs)
    return parser


def _report_parsers(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = verbs.add_parser("report", help="write the alignment report from evidence")
    verify = verbs.add_parser("verify", help="lint, build, image-test and report")
    for sub in (report, verify):
        sub.add_argument("--lang", choices=("ko", "en", "all"),
                         help="report language (default: the manifest's lang)")
        sub.add_argument("--baseline", help="git ref section 5 compares against"
                         " (default: the merge base with main)")
        sub.add_argument("--python", help="only this Python variant")
        sub.add_argument("--platform", help="only this platform variant")
    report.add_argument("--output", default="reports", help="folder for the report files")
    verify.add_argument("--service", action="append", default=[],
                        help="only this service (repeatable)")


def _image_test_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = verbs.add_parser("image-test", help="structure and smoke tests of the built images")
    sub.add_argument("--config", help="one container-structure-test file (with --image)")
    sub.add_argument("--image", help="the image --config runs against")
    sub.add_argument("--format", default="text", choices=("text", "json", "junit"))
    sub.add_argument("--output", help="write the results to this file instead of stdout")
    sub.add_argument("--service", action="append", default=[],
                     help="only this image (repeatable)")
    sub.add_argument("--python", help="Python variant (default: the manifest's)")
    sub.add_argument("--platform", help="platform variant (default: the manifest's)")
    sub.add_argument("--no-smoke", action="store_true", help="structure tests and checks only")


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.verb == "check-manifest":
        commands.check_manifest(args.root)
    elif args.verb == "engine-up":
        commands.engine_up(args.root)
    elif args.verb == "doctor":
        commands.doctor(args.root)
    elif args.verb == "build-base":
        commands.build_base(args.root, python=args.python, platform=args.platform,
                            no_cache=args.no_cache, rebuild_root=args.rebuild_root)
    elif args.verb == "build-services":
        commands.build_services(args.root, python=args.python, platform=args.platform,
                                services=args.service, no_cache=args.no_cache)
    elif args.verb == "build":
        commands.build(args.root, python=args.python, platform=args.platform,
                       services=args.service, no_cache=args.no_cache,
                       rebuild_root=args.rebuild_root, cache_from=args.cache_from)
    elif args.verb == "push":
        commands.push(args.root, registry=args.registry, python=args.python,
                      platform=args.platform, services=args.service)
    elif args.verb == "image-test":
        commands.image_test(args.root, config=args.config, image=args.image, fmt=args.format,
                            output=args.output, services=args.service, python=args.python,
                            platform=args.platform, smoke=not args.no_smoke)
    elif args.verb == "lint":
        return commands.lint(args.root, fmt=args.format, output=args.output,
                             no_cache=args.no_cache)
    elif args.verb == "docs":
        commands.docs(args.root, check=args.check)
    elif args.verb == "report":
        commands.report(args.root, lang=args.lang, baseline=args.baseline, output=args.output,
                        python=args.python, platform=args.platform)
    elif args.verb == "verify":
        commands.verify(args.root, python=args.python, platform=args.platform,
                        services=args.service, baseline=args.baseline, lang=args.lang)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; expected failures print one line and return their exit code."""
    try:
        return _main(argv)
    except DockbuildError as exc:
        if os.environ.get("DOCKBUILD_DEBUG"):
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
