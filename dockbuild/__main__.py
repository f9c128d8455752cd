"""``python -m dockbuild VERB``: the same verbs as ``inv``, for machines without invoke."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from dockbuild import cli
from dockbuild.errors import DockbuildError, outside_venv


class _Unparsed(Exception):
    """argparse could not read the words (``inv`` then lets invoke explain them)."""


class _StrictParser(argparse.ArgumentParser):
    """A parser whose errors raise instead of printing usage and exiting."""

    def error(self, message: str) -> Any:
        """Raise :class:`_Unparsed` when strict, else argparse's usual exit 2."""
        if getattr(self, "strict", False):
            raise _Unparsed(message)
        return super().error(message)


class _VerbParser(_StrictParser):
    """A verb's parser that adds its options only when used: choices cost imports."""

    def __init__(self, *args: Any, verb: cli.Verb, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.verb = verb
        self.ready = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        """Add the verb's options from the table, then parse."""
        if not self.ready:
            self.ready = True
            for option in self.verb.options:
                _add(self, option)
        return super().parse_known_args(args, namespace)


def _add(parser: argparse.ArgumentParser, option: cli.Option) -> None:
    names = [f"-{option.short}"] if option.short else []
    names.append(f"--{option.name}")
    help_text = cli.describe(option).replace("%", "%%")
    if option.flag:
        parser.add_argument(*names, dest=option.dest, action="store_true", help=help_text)
    elif option is cli.ROOT:  # also accepted before the verb; given after it, it wins
        parser.add_argument(*names, dest=option.dest, metavar=option.metavar,
                            default=argparse.SUPPRESS, help=help_text)
    else:
        parser.add_argument(*names, dest=option.dest, metavar=option.metavar,
                            required=option.required,
                            action="append" if option.repeatable else "store",
                            default=[] if option.repeatable else option.default, help=help_text)


def _parser(*, strict: bool = False) -> argparse.ArgumentParser:
    parser = _StrictParser(
        prog="dockbuild",
        description="Lint, build, test and report the academy images from docker/services.yaml.",
        epilog="Exit codes: 0 all good, 1 checks failed, 2 unusable input or environment.",
    )
    _add(parser, cli.ROOT)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB",
                                  parser_class=_VerbParser)
    for verb in cli.VERBS:
        sub = verbs.add_parser(verb.name, help=verb.summary, description=verb.summary, verb=verb)
        sub.strict = strict  # type: ignore[attr-defined]
    parser.strict = strict  # type: ignore[attr-defined]
    return parser


def _main(argv: Sequence[str] | None) -> int:
    values = vars(_parser().parse_args(argv))
    result = cli.call(cli.verb(values.pop("verb")), values)
    return result if isinstance(result, int) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; expected failures print one line and return their exit code."""
    try:
        return _main(argv)
    except DockbuildError as exc:
        if os.environ.get("DOCKBUILD_DEBUG"):
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except ModuleNotFoundError as exc:  # the system Python, not the project's venv
        problem = outside_venv(exc)
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        return problem.exit_code
    except KeyboardInterrupt as stop:
        from dockbuild import signals

        code, word = signals.exit_status(stop)
        print(word, file=sys.stderr)
        return code


if __name__ == "__main__":
    raise SystemExit(main())


def inv() -> None:
    """The ``inv`` script: a plain ``inv VERB [options]`` runs here, anything else in invoke.

    Importing invoke and building its program costs ~0.15 s, most of a no-op
    build. A call naming one verb whose options parse cleanly runs through the
    same table as ``python -m dockbuild``; ``--help``, ``--list``, several tasks
    and every parse error go to invoke, so its explanations stay as they are.
    """
    words = sys.argv[1:]
    names = {verb.name for verb in cli.VERBS}
    plain = (bool(words) and words[0] in names and not set(words) & {"-h", "--help"}
             and not names & set(words[1:]))
    if plain:
        try:
            values = vars(_parser(strict=True).parse_args(words))
        except _Unparsed:
            plain = False
    if not plain:
        from dockbuild import inv as invoke_program

        invoke_program.main()
        return
    try:
        result = cli.call(cli.verb(values.pop("verb")), values)
        sys.stdout.flush()
    except BrokenPipeError:
        cli.output_dropped()
    except DockbuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except ModuleNotFoundError as exc:  # a global inv, outside the project's venv
        problem = outside_venv(exc)
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(problem.exit_code) from None
    except KeyboardInterrupt as stop:
        from dockbuild import signals

        code, word = signals.exit_status(stop)
        print(word, file=sys.stderr)
        raise SystemExit(code) from None
    raise SystemExit(result if isinstance(result, int) else 0)
