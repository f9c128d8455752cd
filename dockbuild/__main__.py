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
    verbs.add_parser("engine-up", help="make sure a Docker engine answers (starts one when possible)")
    for verb in commands.LATER:
        verbs.add_parser(verb, help=f"not implemented yet ({commands.LATER[verb]})")
    return parser


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.verb == "check-manifest":
        commands.check_manifest(args.root)
    elif args.verb == "engine-up":
        commands.engine_up(args.root)
    else:
        commands.not_built_yet(args.verb)
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
