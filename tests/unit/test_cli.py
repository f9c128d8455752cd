"""The verbs declared once (dockbuild.cli): inv and python -m dockbuild are built from it."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from dockbuild import __main__ as dockbuild_main
from dockbuild import cli, commands, inv

RunCli = Callable[..., subprocess.CompletedProcess[str]]


# The one declaration of the verbs: inv and python -m dockbuild are built from it.

@pytest.fixture(scope="session")
def run_inv(repo_root: Path) -> RunCli:
    """Return a runner of the program pyproject installs as `inv` (the venv's may predate it)."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from dockbuild.__main__ import inv; inv()", *args],
            cwd=repo_root, capture_output=True, text=True, check=False, timeout=120,
        )

    return run


def _argparse_options(verb: cli.Verb) -> dict[str, str]:
    subparsers = next(a for a in dockbuild_main._parser()._actions
                      if isinstance(a, argparse._SubParsersAction))
    sub = subparsers.choices[verb.name]
    required = [arg for o in verb.options if o.required for arg in (f"--{o.name}", "x")]
    sub.parse_known_args(required)  # a verb's options are added when it is parsed
    return {s: action.help for action in sub._actions for s in action.option_strings
            if s not in ("-h", "--help")}


def _invoke_options(verb: cli.Verb) -> dict[str, str]:
    return {(f"-{name}" if len(name) == 1 else f"--{name}"): arg.help
            for arg in inv.VerbTask(verb).get_arguments() for name in arg.names}


@pytest.mark.parametrize("verb", cli.VERBS, ids=[v.name for v in cli.VERBS])
def test_inv_and_python_m_have_the_same_options_and_help(verb: cli.Verb) -> None:
    options = _invoke_options(verb)
    assert options == _argparse_options(verb)
    assert {f"--{o.name}" for o in verb.options} <= set(options)


def test_a_short_flag_means_one_option_everywhere() -> None:
    meanings: dict[str, set[str]] = {}
    for verb in cli.VERBS:
        for arg in inv.VerbTask(verb).get_arguments():
            for name in arg.names[1:]:
                meanings.setdefault(name, set()).add(arg.names[0])
    assert meanings == {letter: {name} for letter, name in cli.SHORT_FLAGS.items()}


def test_choices_and_defaults_in_help_come_from_the_registries() -> None:
    from dockbuild.imagetest.results import FORMATS as TEST_FORMATS
    from dockbuild.lint.formats import FORMATS as LINT_FORMATS

    lint_format = cli.verb("lint").option("format")
    assert cli.choices(lint_format) == tuple(LINT_FORMATS)
    assert cli.describe(lint_format).endswith(f": {', '.join(LINT_FORMATS)} (default: text)")
    assert cli.choices(cli.verb("image-test").option("format")) == tuple(TEST_FORMATS)
    assert "ko, en, all" in cli.describe(cli.verb("report").option("lang"))
    assert cli.describe(cli.verb("report").option("output")).endswith("(default: reports)")
    assert cli.describe(cli.verb("push").option("registry")).endswith("(required)")


def test_inv_help_shows_that_service_takes_a_value(run_inv: RunCli) -> None:
    result = run_inv("--help", "build")
    assert result.returncode == 0, result.stderr
    assert "-s NAME, --service=NAME" in result.stdout
    assert "only this service (repeatable; default: all)" in result.stdout
    assert "--platform=PLATFORM" in result.stdout


@pytest.mark.parametrize(("args", "error", "see"), [
    (("build", "--platfrom", "linux/arm64"),
     "error: build has no option --platfrom; did you mean --platform?", "build"),
    (("push",), "error: push needs --registry HOST:PORT", "push"),
    (("buidl",), "error: no task 'buidl'; did you mean build?", "build"),
    (("--help", "imgae-test"), "error: no task 'imgae-test'; did you mean image-test?",
     "image-test"),
    (("push", "--service"), "error: push --service needs a value: --service NAME", "push"),
    (("lint", "-x"), "error: lint has no option -x", "lint"),
    (("report", "-a", "en"), "error: report has no option -a", "report"),
])
def test_inv_usage_errors_exit_2_with_what_is_wrong_and_where_to_look(
        args: tuple[str, ...], error: str, see: str, run_inv: RunCli) -> None:
    result = run_inv(*args)
    assert result.returncode == 2
    assert result.stderr == f"{error}\nsee: ./dev inv --help {see}\n"


def test_inv_suggests_the_long_options_a_short_flag_could_mean(run_inv: RunCli) -> None:
    result = run_inv("push", "-y", "3.13")  # -y was --python once; now no letter guesses
    assert result.returncode == 2
    assert result.stderr.startswith("error: push has no option -y\n")
    result = run_inv("report", "-p", "3.13")  # -p is invoke's --pty, then 3.13 is stray
    assert result.returncode == 2
    assert result.stderr.startswith("error: report takes no argument '3.13'")


def test_unknown_task_without_a_close_match_points_at_the_list(run_inv: RunCli) -> None:
    result = run_inv("xyzzy")
    assert result.returncode == 2
    assert result.stderr == "error: no task 'xyzzy'\nsee: ./dev inv --list\n"


@pytest.mark.parametrize("runner", ["run_inv", "run_cli"], ids=["inv", "python -m"])
def test_a_bad_format_is_refused_the_same_way_by_both(
        runner: str, request: pytest.FixtureRequest) -> None:
    result = request.getfixturevalue(runner)("lint", "--format", "xml")
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown format 'xml'")


def test_root_may_follow_the_verb(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("check-manifest", "-r", str(tmp_path))
    assert result.returncode == 2
    assert "holds no docker/services.yaml" in result.stderr


def _recorder(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(commands, "image_test", lambda **kwargs: calls.append(kwargs) or [])
    return calls


EXPECTED_IMAGE_TEST = {"root": None, "config": None, "image": None, "fmt": "json",
                       "output": None, "services": ("api", "video-worker"), "python": "3.13",
                       "platform": None, "smoke": False, "changed_since": None, "shard": None}


def test_python_m_passes_the_table_s_keywords(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _recorder(monkeypatch)
    code = dockbuild_main.main(["image-test", "-s", "api", "--service", "video-worker",
                                "-f", "json", "--python", "3.13", "--no-smoke"])
    assert code == 0
    assert calls == [EXPECTED_IMAGE_TEST]


def test_inv_passes_the_same_keywords(monkeypatch: pytest.MonkeyPatch, repo_root: Path) -> None:
    calls = _recorder(monkeypatch)
    monkeypatch.chdir(repo_root)
    program = inv.DockbuildProgram(binary_names=["inv"])
    program.run(["inv", "image-test", "-s", "api", "--service", "video-worker", "-f", "json",
                 "--python", "3.13", "--no-smoke"], exit=False)
    assert calls == [EXPECTED_IMAGE_TEST]


def test_inv_list_imports_no_stage_and_no_heavy_library(repo_root: Path) -> None:
    code = ("import sys; from dockbuild.inv import program; program.run(['inv', '--list'],"
            " exit=False); print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in"
            " ('docker', 'rich') or m.startswith(('dockbuild.lint', 'dockbuild.report',"
            " 'dockbuild.build', 'dockbuild.imagetest', 'dockbuild.engine')))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "  build-base " in result.stdout
    assert result.stdout.splitlines()[-1] == ""


def test_pyproject_installs_inv_as_dockbuild_s_program(repo_root: Path) -> None:
    scripts = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, name = scripts["inv"].partition(":")
    assert getattr(importlib.import_module(module), name) is dockbuild_main.inv


def test_a_plain_verb_call_runs_without_importing_invoke(repo_root: Path) -> None:
    code = ("import sys; sys.argv = ['inv', 'check-manifest']; from dockbuild.__main__ import inv"
            "\ntry:\n    inv()\nexcept SystemExit as exit:\n    print('exit', exit.code,"
            " 'invoke' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.stdout.splitlines()[-1] == "exit 0 False", result
    # a parse error is invoke's to explain, as before
    code = code.replace("'check-manifest'", "'check-manifest', '--bogus'")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.stdout.splitlines()[-1] == "exit 2 True", result


def test_verify_builds_one_variant_by_default_and_says_so() -> None:
    verify = cli.verb("verify")
    for name in ("python", "platform"):
        text = cli.describe(verify.option(name))
        assert text.endswith("(default: the manifest's variants.default)"), text
        assert "default: all" not in text
    assert "which variants and images were verified" in verify.summary
    assert ":latest does not move" in cli.describe(cli.verb("image-test").option("no-smoke"))


def test_ctrl_c_in_a_task_is_exit_130_through_invoke_too(
        monkeypatch: pytest.MonkeyPatch, repo_root: Path) -> None:
    def interrupted(**kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "check_manifest", interrupted)
    monkeypatch.chdir(repo_root)
    program = inv.DockbuildProgram(binary_names=["inv"])
    with pytest.raises(SystemExit) as caught:
        program.run(["inv", "check-manifest"])
    assert caught.value.code == 130


def test_a_reader_that_stops_early_ends_the_output_without_a_traceback(repo_root: Path) -> None:
    # `inv --help build | head -1`: the pipe closes before the help is written
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); sys.argv = ['inv',"
            " '--help', 'build']\nfrom dockbuild.__main__ import inv\ninv()")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True,
                            text=True, check=False, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 141


def test_hints_name_the_command_as_typed_through_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    from dockbuild.errors import VIA_ENV, EngineUnavailable

    problem = EngineUnavailable("no engine", hint="run `inv engine-up`, or `inv doctor`")
    monkeypatch.delenv(VIA_ENV, raising=False)
    assert str(problem) == "no engine (hint: run `inv engine-up`, or `inv doctor`)"
    monkeypatch.setenv(VIA_ENV, "./dev")
    assert str(problem) == "no engine (hint: run `./dev inv engine-up`, or `./dev inv doctor`)"


def test_dev_tells_the_tasks_how_they_were_reached(repo_root: Path) -> None:
    done = subprocess.run([str(repo_root / "dev"), "sh", "-c", "echo $DOCKBUILD_VIA"],
                          capture_output=True, text=True, check=True, timeout=600)
    assert done.stdout.strip() == "./dev"


def test_a_python_without_the_venv_says_run_it_through_dev(repo_root: Path,
                                                           tmp_path: Path) -> None:
    # A Python with nothing installed: the interpreter itself, isolated from site-packages.
    done = subprocess.run([sys.executable, "-S", "-m", "dockbuild", "lint"],
                          cwd=repo_root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: this Python (") and "which dockbuild needs" in line
    assert "run it through ./dev" in line


def test_shell_completion_offers_the_tasks(run_inv: RunCli) -> None:
    script = run_inv("--print-completion-script", "bash")
    assert script.returncode == 0 and "complete -F" in script.stdout
    offered = run_inv("--complete", "--", "inv", "bu").stdout.split()
    assert {"build", "build-base", "build-services"} <= set(offered)


def test_status_renders_a_table_per_variant_and_a_count() -> None:
    from dockbuild import status

    rows = [status.Row("py3.11-amd64", "academy-base", "current", (), "passed", True, "sha256:a"),
            status.Row("py3.11-amd64", "academy-api", "stale", ("the Dockerfile changed",),
                       "tested an older image", False, "sha256:b"),
            status.Row("py3.11-arm64", "academy-base", "missing", ("never built",), "-", None, "")]
    text = status.render(rows, "text")
    assert text.splitlines()[0] == "py3.11-amd64"
    assert "academy-api   stale    tested an older image  no      the Dockerfile changed" in text
    assert "academy-base  missing  -                      -       never built" in text
    assert text.rstrip().endswith("1 current, 1 stale, 1 missing of 3 images;"
                                  " `inv build` builds the stale and missing ones")
    document = json.loads(status.render(rows, "json"))
    assert document["images"][1]["why"] == ["the Dockerfile changed"]
