"""What an image is at each instruction: user, workdir, env, ports, command; inherited.

A service ``FROM ${BASE_IMAGE}`` starts with the base's final USER, WORKDIR
and ENV, exactly as the engine would give it; rules ask this module instead of
looking only at one file. Each value remembers the file and lines that set it,
so a message can say "USER appuser, inherited from docker/Dockerfile.base:46".
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Mapping

from dockbuild.evidence import Span
from dockbuild.inputs.dockerfile import Dockerfile, Instruction, Stage

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_VAR = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_]\w*)(?::?(?P<op>[-+])(?P<word>[^}]*))?\}|(?P<bare>[A-Za-z_]\w*))"
)


@dataclasses.dataclass(frozen=True, slots=True)
class Setting:
    """A value and the lines that set it."""

    value: str
    span: Span
    parts: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class State:
    """The image's configuration before (or after) an instruction."""

    origin: str
    known: bool = True
    user: Setting | None = None
    workdir: Setting | None = None
    env: Mapping[str, Setting] = dataclasses.field(default_factory=dict)
    expose: tuple[Setting, ...] = ()
    cmd: Setting | None = None
    entrypoint: Setting | None = None

    @property
    def user_name(self) -> str:
        """Return the effective user (``root`` when no USER was ever given)."""
        return self.user.value.split(":")[0] if self.user else "root"

    @property
    def workdir_path(self) -> str:
        """Return the effective working directory (``/`` by default)."""
        return self.workdir.value if self.workdir else "/"

    def path_entries(self) -> list[str]:
        """Return the PATH entries, ``$PATH`` expanded."""
        setting = self.env.get("PATH")
        return (setting.value if setting else DEFAULT_PATH).split(":")


@dataclasses.dataclass(frozen=True, slots=True)
class StageState:
    """A stage with the state before each of its instructions and at its end."""

    stage: Stage
    before: tuple[State, ...]
    final: State

    def at(self, instruction: Instruction) -> State:
        """Return the state in force when ``instruction`` runs."""
        for body, state in zip(self.stage.body, self.before, strict=True):
            if body is instruction:
                return state
        return self.final


@dataclasses.dataclass(frozen=True, slots=True)
class Analysis:
    """Every stage of a Dockerfile, resolved."""

    dockerfile: Dockerfile
    args: Mapping[str, str]
    stages: tuple[StageState, ...]

    @property
    def final(self) -> StageState | None:
        """Return the last stage, the image itself."""
        return self.stages[-1] if self.stages else None

    def rendered_from(self, stage: Stage) -> str:
        """Return the stage's FROM image with global ARG defaults substituted."""
        return render(stage.image, self.args)


def render(text: str, args: Mapping[str, str]) -> str:
    """Substitute ``$X``, ``${X}``, ``${X:-default}`` and ``${X:+alt}`` from ``args``."""

    def one(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        value = args.get(name, "")
        if match["op"] == "-":
            return value or match["word"]
        if match["op"] == "+":
            return match["word"] if value else ""
        return value

    return _VAR.sub(one, text)


def global_args(dockerfile: Dockerfile) -> dict[str, str]:
    """Return the defaults of the ARGs before the first FROM."""
    values: dict[str, str] = {}
    for instruction in dockerfile.global_args:
        for arg in instruction.args:
            name, _, default = arg.partition("=")
            values[name] = render(default, values)
    return values


def analyse(dockerfile: Dockerfile, parents: Mapping[str, State]) -> Analysis:
    """Resolve every stage; ``parents`` maps image names (no tag) to their final state."""
    args = global_args(dockerfile)
    stages: list[StageState] = []
    by_name: dict[str, State] = {}
    for stage in dockerfile.stages:
        image = render(stage.image, args)
        if image.lower() in by_name:
            start = dataclasses.replace(by_name[image.lower()], origin=f"stage {image}")
        else:
            start = parents.get(repository(image)) or State(origin=image)
        before: list[State] = []
        state = start
        for instruction in stage.body:
            before.append(state)
            state = step(state, instruction, dockerfile)
        stages.append(StageState(stage, tuple(before), state))
        if stage.name:
            by_name[stage.name.lower()] = state
    return Analysis(dockerfile, args, tuple(stages))


def repository(image: str) -> str:
    """Return a reference without tag or digest: ``academy-base:latest`` -> ``academy-base``."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name.removeprefix("docker.io/").removeprefix("library/")


def step(state: State, instruction: Instruction, dockerfile: Dockerfile) -> State:
    """Return the state after ``instruction``."""
    span = dockerfile.span_of(instruction)
    keyword = instruction.keyword
    env_values = {name: setting.value for name, setting in state.env.items()}
    if keyword == "USER" and instruction.args:
        return dataclasses.replace(
            state, user=Setting(render(instruction.args[0], env_values), span)
        )
    if keyword == "WORKDIR" and instruction.args:
        path = posixpath.normpath(
            posixpath.join(state.workdir_path, render(instruction.args[0], env_values))
        )
        return dataclasses.replace(state, workdir=Setting(path, span))
    if keyword == "ENV":
        env = dict(state.env)
        pairs = instruction.args
        for name, value in zip(pairs[::2], pairs[1::2], strict=False):
            current = {k: s.value for k, s in env.items()}
            current.setdefault("PATH", DEFAULT_PATH)
            env[name] = Setting(render(value, current), span)
        return dataclasses.replace(state, env=env)
    if keyword == "EXPOSE":
        ports = tuple(Setting(render(port, env_values), span) for port in instruction.args)
        return dataclasses.replace(state, expose=state.expose + ports)
    if keyword in {"CMD", "ENTRYPOINT"}:
        setting = Setting(
            " ".join(instruction.args), span, instruction.args if instruction.json else ()
        )
        if keyword == "CMD":
            return dataclasses.replace(state, cmd=setting)
        return dataclasses.replace(state, entrypoint=setting, cmd=None)
    return state
