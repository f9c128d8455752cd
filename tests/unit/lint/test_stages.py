"""Inheritance: a service starts with its parent's final USER, WORKDIR, ENV, EXPOSE and CMD."""

from __future__ import annotations

from dockbuild.inputs import dockerfile
from dockbuild.lint import stages as imagestate

BASE = ("FROM python:3.11-slim\nENV PATH=/home/app/.local/bin:$PATH\nWORKDIR /app\n"
        "EXPOSE 9000\nUSER app\nCMD [\"python\"]\n")


def analyse(text: str, path: str, parents: dict[str, imagestate.State] | None = None
            ) -> imagestate.Analysis:
    return imagestate.analyse(dockerfile.parse(text, path), parents or {})


def test_a_service_inherits_the_base_final_state_with_its_lines() -> None:
    base = analyse(BASE, "docker/Dockerfile.base").final
    assert base is not None
    service = analyse("ARG BASE_IMAGE=academy-base:latest\nFROM ${BASE_IMAGE}\nRUN x\n",
                      "docker/api/Dockerfile", {"academy-base": base.final})
    final = service.final
    assert final is not None
    state = final.at(final.stage.body[0])
    assert (state.user_name, state.workdir_path) == ("app", "/app")
    assert state.user is not None and str(state.user.span) == "docker/Dockerfile.base:5"
    assert state.path_entries()[0] == "/home/app/.local/bin"
    assert [s.value for s in final.final.expose] == ["9000"]
    assert final.final.cmd is not None and final.final.cmd.parts == ("python",)


def test_an_unknown_image_starts_as_root_in_slash() -> None:
    final = analyse("FROM debian:12\nRUN x\n", "Dockerfile").final
    assert final is not None
    assert (final.final.user_name, final.final.workdir_path) == ("root", "/")


def test_a_stage_starts_from_an_earlier_stage() -> None:
    text = "FROM debian:12 AS build\nWORKDIR /src\nUSER 1000\nFROM build\nRUN x\n"
    final = analyse(text, "Dockerfile").final
    assert final is not None
    assert (final.final.user_name, final.final.workdir_path) == ("1000", "/src")


def test_relative_workdirs_and_env_references_resolve() -> None:
    text = "FROM debian:12\nENV ROOT=/srv\nWORKDIR $ROOT\nWORKDIR app\n"
    final = analyse(text, "Dockerfile").final
    assert final is not None and final.final.workdir_path == "/srv/app"


def test_render_substitutes_arg_defaults() -> None:
    args = {"A": "x", "EMPTY": ""}
    assert imagestate.render("${A}:${B:-1}/$A${EMPTY:+no}", args) == "x:1/x"
    assert imagestate.repository("docker.io/library/python:3.11-slim") == "python"
    assert imagestate.repository("localhost:5000/team/app:1@sha256:ab") == "localhost:5000/team/app"


def _final_state(text: str) -> imagestate.State:
    final = analyse(text, "Dockerfile").final
    assert final is not None
    return final.final


def test_a_global_arg_must_be_redeclared_in_a_stage() -> None:
    text = ('ARG HOME_DIR="/srv"\nFROM debian:12\nWORKDIR ${HOME_DIR}/a\nARG HOME_DIR\n'
            "WORKDIR ${HOME_DIR}\n")
    final = analyse(text, "Dockerfile").final
    assert final is not None
    assert final.before[1].workdir_path == "/a"
    assert final.final.workdir_path == "/srv"


def test_platform_args_and_env_over_arg() -> None:
    text = ("FROM scratch\nARG TARGETARCH\nARG V=arg\nENV V=env\nUSER u-${TARGETARCH}-$V\n"
            "ENV A=1\nENV A=2 B=$A\n")
    state = _final_state(text)
    assert state.user is not None and state.user.value == "u-amd64-env"
    assert state.env["B"].value == "1"  # one ENV sees the values from before it


def test_from_renders_a_stage_name_through_the_platform_args() -> None:
    text = "FROM debian:12 AS tools-linux\nWORKDIR /t\nFROM tools-${TARGETOS}\n"
    assert _final_state(text).workdir_path == "/t"


def test_windows_paths_and_the_escape_directive() -> None:
    text = ("# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n"
            "ENV GOPATH C:\\go\nWORKDIR $GOPATH\nWORKDIR bin\n")
    state = _final_state(text)
    assert state.workdir_path == "C:\\go\\bin"
    assert state.windows


def test_a_variable_an_unseen_parent_may_set_is_unknown() -> None:
    state = _final_state('FROM quay.io/jupyter/base-notebook:latest\nWORKDIR "${HOME}"\n')
    assert state.workdir is not None and state.workdir.unknown == {"HOME"}
    assert not state.user_known
    assert _final_state("FROM debian:12\nRUN x\n").user_known
