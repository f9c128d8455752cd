"""``inv``: invoke tasks made from dockbuild.cli's table, and errors a user can act on.

The project's ``[project.scripts]`` installs ``inv`` as :func:`main`, invoke's
own Program with two changes: a mistyped task, option or missing value exits 2
with one line and a did-you-mean instead of invoke's exit 1, and ``--help
TASK`` shows each option's value (``--service=NAME``). tasks.py is still found
by invoke's normal discovery.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

from invoke import __version__
from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit, ParseError
from invoke.parser import Argument, ParserContext
from invoke.program import Program
from invoke.tasks import Task

from dockbuild import cli, signals
from dockbuild.errors import DockbuildError, outside_venv

SEE = "see: ./dev inv --help {}"
SEE_LIST = "see: ./dev inv --list"


class _Argument(Argument):
    """An invoke argument whose help is written from the table only when it is shown."""

    def __init__(self, option: cli.Option) -> None:
        self.option = option
        kind: Any = bool if option.flag else list if option.repeatable else str
        default: Any = False if option.flag else [] if option.repeatable else option.default
        names = (option.name, option.short) if option.short else (option.name,)
        attr_name = option.dest if option.dest != option.name else None  # invoke aliases it
        super().__init__(names=names, kind=kind, default=default, attr_name=attr_name)
        self.raw_value = None  # so that invoke refuses a trailing `--service` with no value

    @property  # type: ignore[override]
    def help(self) -> str:
        """Resolve choices only for ``--help TASK``: report's import costs a --list 0.15 s."""
        return cli.describe(self.option)

    @help.setter
    def help(self, value: str | None) -> None:
        """Ignore invoke's help: the table's is the only one."""


class VerbTask(Task[Callable[..., Any]]):
    """One verb of the table as an invoke task: its options, summary and one call."""

    def __init__(self, verb: cli.Verb) -> None:
        def body(c: Context, **values: Any) -> Any:
            try:
                return cli.call(verb, values)
            except DockbuildError as exc:
                msg = f"error: {exc}"
                raise Exit(msg, code=exc.exit_code) from None
            except ModuleNotFoundError as exc:  # a global invoke, outside the project's venv
                problem = outside_venv(exc)
                if problem is None:
                    raise
                msg = f"error: {problem}"
                raise Exit(msg, code=problem.exit_code) from None
            except KeyboardInterrupt as stop:  # invoke itself would exit 1 (failed checks)
                code, word = signals.exit_status(stop)
                raise Exit(word, code=code) from None

        body.__name__, body.__doc__ = verb.function, verb.summary
        super().__init__(body, name=verb.name, positional=())
        self.verb = verb

    def get_arguments(self, ignore_unknown_help: bool | None = None) -> list[Argument]:
        """Return the verb's options as the table declares them (no guessed short flags)."""
        return [_Argument(option) for option in self.verb.options]


def namespace() -> Collection:
    """Return the collection tasks.py exposes: one task per verb."""
    return Collection(*(VerbTask(verb) for verb in cli.VERBS))


def _close(word: str, candidates: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _flag(name: str) -> str:
    return f"-{name}" if len(name) == 1 else f"--{name}"


class DockbuildProgram(Program):
    """Invoke's Program, but parse errors exit 2 with one line and a did-you-mean."""

    def parse_core(self, argv: list[str] | None) -> None:
        """Parse invoke's own flags, explaining a bad one."""
        self._explained(super().parse_core, argv)

    def parse_tasks(self) -> None:
        """Parse the tasks and their options, then refuse a task lacking a required option."""
        self._explained(super().parse_tasks)
        for context in self.tasks:
            task = self.collection[context.name]
            if isinstance(task, VerbTask):
                lacking = cli.missing(task.verb, context.as_kwargs)
                if lacking:
                    needs = ", ".join(f"--{o.name} {o.metavar}" for o in lacking)
                    msg = f"error: {context.name} needs {needs}\n{SEE.format(context.name)}"
                    raise Exit(msg, code=2)

    def parse_cleanup(self) -> None:
        """Handle --help TASK and --list, explaining an unknown TASK."""
        self._explained(super().parse_cleanup)

    def _explained(self, step: Callable[..., None], *args: Any) -> None:
        try:
            step(*args)
        except ParseError as exc:
            raise Exit(self.explain(exc), code=2) from None

    def explain(self, exc: ParseError) -> str:
        """Return the two lines that replace invoke's message: what is wrong, where to look."""
        context: ParserContext | None = getattr(exc, "context", None)
        task = context.name if context is not None else None
        message = str(exc)
        unknown = re.fullmatch(r"No idea what (.+) is!", message)
        needs_value = re.fullmatch(r"Flag <\w+: ([\w-]+).*> needed value.*", message)
        if unknown:
            token = ast.literal_eval(unknown[1])
            if token.startswith("-"):
                return self._unknown_option(token, context)
            return self._unknown_task(token, task)
        if needs_value and task:
            arg = context.args[needs_value[1]] if context is not None else None
            metavar = arg.option.metavar if isinstance(arg, _Argument) else "VALUE"
            name = needs_value[1].replace("_", "-")
            return f"error: {task} --{name} needs a value: --{name} {metavar}\n{SEE.format(task)}"
        return f"error: {message}\n{SEE.format(task) if task else SEE_LIST}"

    def _unknown_option(self, token: str, context: ParserContext | None) -> str:
        task = context.name if context is not None else None
        args = context.args.values() if context is not None else ()
        names = [name for arg in args for name in arg.names if len(name) > 1]
        word = token.split("=", 1)[0]
        if len(word) == 2:  # a short flag: suggest the options it could abbreviate
            guesses = [_flag(name) for name in sorted(names) if name[0] == word[1]]
        else:
            guess = _close(word.lstrip("-"), names)
            guesses = [_flag(guess)] if guess else []
        hint = f"; did you mean {' or '.join(guesses)}?" if guesses else ""
        if task is None:
            return f"error: inv has no option {word}{hint}\nsee: ./dev inv --help"
        return f"error: {task} has no option {word}{hint}\n{SEE.format(task)}"

    def _unknown_task(self, token: str, task: str | None) -> str:
        guess = _close(token, self.collection.task_names)
        if guess:
            return f"error: no task {token!r}; did you mean {guess}?\n{SEE.format(guess)}"
        if task:
            return (f"error: {task} takes no argument {token!r}; options are --name VALUE\n"
                    f"{SEE.format(task)}")
        return f"error: no task {token!r}\n{SEE_LIST}"

    def print_task_help(self, name: str) -> None:
        """Print a verb's summary and options from the table, values shown (``--service=NAME``)."""
        task = self.collection[name]
        if not isinstance(task, VerbTask):
            super().print_task_help(name)
            return
        print(f"Usage: {self.binary} [--core-opts] {name} [--options] [other tasks here ...]\n")
        print(f"Docstring:\n{self.leading_indent}{inspect.getdoc(task)}\n\nOptions:")
        self.print_columns([(_spec(option), cli.describe(option))
                            for option in task.verb.options])


def _spec(option: cli.Option) -> str:
    value = "" if option.flag else f"={option.metavar}"
    long = f"--{option.name}{value}"
    if option.short:
        return f"-{option.short}{' ' + option.metavar if value else ''}, {long}"
    return long


program = DockbuildProgram(name="Invoke", binary="inv[oke]", binary_names=["invoke", "inv"],
                           version=__version__)


def main() -> None:
    """Run ``inv``: what invoke's own script does, with our Program.

    A reader that stops early (``inv --help | head``) ends the output, not in a
    traceback: the rest is dropped, as other command-line tools do.
    """
    try:
        program.run()
        sys.stdout.flush()
    except BrokenPipeError:
        cli.output_dropped()
