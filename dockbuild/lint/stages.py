"""What an image is at each instruction: user, workdir, env, ports, command; inherited.

A service ``FROM ${BASE_IMAGE}`` starts with the base's final USER, WORKDIR
and ENV, exactly as the engine would give it; rules ask this module instead of
looking only at one file. Each value remembers the file and lines that set it,
so a message can say "USER appuser, inherited from docker/Dockerfile.base:46".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping

from dockbuild.evidence import Span
from dockbuild.inputs import words
from dockbuild.inputs.buildcontext import Copy, copies, is_windows_path, join_path
from dockbuild.inputs.dockerfile import Dockerfile, Instruction, Stage
from dockbuild.inputs.variants import DEFAULT_PLATFORM, platform_args

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_WINDOWS_IMAGE = re.compile(r"windows|nanoserver|servercore", re.IGNORECASE)


@dataclasses.dataclass(frozen=True, slots=True)
class Setting:
    """A value and the lines that set it."""

    value: str
    span: Span
    parts: tuple[str, ...] = ()
    # variables the value uses that are not set here and may come from an image lint cannot see
    unknown: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class State:
    """The image's configuration before (or after) an instruction."""

    origin: str
    known: bool = True
    # False when the stage starts from an image whose config (ENV, USER) lint cannot read
    config_known: bool = True
    # True when that image is not a Docker Official Image (``python``, ``debian``: no USER, root)
    user_unseen: bool = False
    windows: bool = False
    args: Mapping[str, str] = dataclasses.field(default_factory=dict)  # this stage's ARGs
    escape: str = "\\"
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
    def user_known(self) -> bool:
        """Return False when no USER was given and the parent image's USER is not known."""
        return self.user is not None or not self.user_unseen

    def expand(self, word: str) -> tuple[str, frozenset[str]]:
        """Return ``word`` as BuildKit expands it here, and the names lint cannot know.

        ENV wins over an ARG of the same name; a name set nowhere is empty, as
        in the engine, but is "unknown" when the parent image's ENV is unseen.
        """
        found = self.lex(word)
        return found.value, frozenset() if self.config_known else found.unset

    def lex(self, word: str) -> words.Word:
        """Return the expanded word and every name it uses that is set nowhere here."""
        if words.plain(word, self.escape):
            return words.Word(word)
        scope = {**self.args, **{name: s.value for name, s in self.env.items()}}
        scope.setdefault("PATH", DEFAULT_PATH)
        try:
            return words.expand(word, scope, self.escape)
        except words.WordError:  # the engine refuses it; keep it as written
            return words.Word(word)

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
    base: int | None = None  # index of the stage this one is built FROM, if it is one
    #: copies() by context_only, worked out once: every rule asks, each expansion costs
    memo: dict[bool, tuple[Copy, ...]] = dataclasses.field(default_factory=dict, compare=False,
                                                           repr=False)

    def at(self, instruction: Instruction) -> State:
        """Return the state in force when ``instruction`` runs."""
        for body, state in zip(self.stage.body, self.before, strict=True):
            if body is instruction:
                return state
        return self.final

    def copies(self, *, context_only: bool = False) -> Iterator[Copy]:
        """Yield the stage's COPY/ADDs with sources and destination expanded as BuildKit does."""
        if context_only not in self.memo:
            self.memo[context_only] = tuple(self._copies(context_only=context_only))
        return iter(self.memo[context_only])

    def _copies(self, *, context_only: bool) -> Iterator[Copy]:
        for copy in copies(self.stage.body):
            state = self.at(copy.instruction)
            sources, unset = [], set()
            for source in copy.sources:  # one naming a build arg set nowhere stays as written
                word = state.lex(source)
                sources.append(source if word.unset else word.value)
                unset |= word.unset
            dest, unknown = state.expand(copy.dest)
            found = dataclasses.replace(
                copy, sources=tuple(s for s in sources if "://" not in s), dest=dest,
                unset=frozenset(unset), dest_unknown=unknown,
            )
            if not context_only or found.from_stage is None:
                yield found


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

    def lineage(self, stage: StageState) -> list[StageState]:
        """Return ``stage`` and the stages it is built FROM, nearest first (its filesystem)."""
        found = [stage]
        while found[-1].base is not None and found[-1].base not in {s.stage.index for s in found}:
            found.append(self.stages[found[-1].base])
        return found

    def feeding(self, stage: StageState) -> list[StageState]:
        """Return the lineage and every stage a ``COPY --from`` there reads, transitively."""
        names = {s.stage.name.lower(): s for s in self.stages if s.stage.name}
        names |= {str(s.stage.index): s for s in self.stages}  # COPY --from=0
        found: list[StageState] = []
        todo = [stage]
        while todo:
            for each in self.lineage(todo.pop()):
                if each not in found:
                    found.append(each)
                    todo += [names[name] for name in _reads_from(each) if name in names]
        return found

    def rendered_from(self, stage: Stage) -> str:
        """Return the stage's FROM image with the global ARGs (and platform ARGs) substituted."""
        return render(stage.image, self.args, self.dockerfile.escape)


def render(text: str, args: Mapping[str, str], escape: str = "\\") -> str:
    """Return ``text`` expanded by BuildKit's lexer rules (quotes, escapes, ``${X:-y}``...)."""
    return words.value(text, args, escape)


def global_args(dockerfile: Dockerfile, platform: str = DEFAULT_PLATFORM) -> dict[str, str]:
    """Return the ARGs a FROM sees: the platform ARGs, then those before the first FROM."""
    values = platform_args(platform)
    for instruction in dockerfile.global_args:
        _declare(instruction, values, values, dockerfile.escape)
    return values


def _declare(instruction: Instruction, into: dict[str, str], outer: Mapping[str, str],
             escape: str, scope: Mapping[str, str] | None = None) -> None:
    """Add an ARG's names: ``ARG X=d`` sets d (expanded); ``ARG X`` takes the global value."""
    for arg in instruction.args:
        name, eq, default = arg.partition("=")
        if eq:
            into[name] = render(default, {**into, **(scope or {})}, escape)
        elif name in outer:
            into[name] = outer[name]


def analyse(dockerfile: Dockerfile, parents: Mapping[str, State],
            platform: str = DEFAULT_PLATFORM) -> Analysis:
    """Resolve every stage; ``parents`` maps image names (no tag) to their final state."""
    args = global_args(dockerfile, platform)
    stages: list[StageState] = []
    by_name: dict[str, State] = {}
    index_of: dict[str, int] = {}
    for stage in dockerfile.stages:
        image = render(stage.image, args, dockerfile.escape)
        base = index_of.get(image.lower())
        if image.lower() in by_name:
            start = dataclasses.replace(by_name[image.lower()], origin=f"stage {image}")
        elif repository(image) in parents:
            start = parents[repository(image)]
        else:  # an image lint has no Dockerfile for: its config is unseen (scratch has none)
            start = State(origin=image, config_known=image == "scratch",
                          user_unseen="/" in repository(image),
                          windows=bool(_WINDOWS_IMAGE.search(image)))
        state = dataclasses.replace(start, args={}, escape=dockerfile.escape)
        before: list[State] = []
        for instruction in stage.body:
            before.append(state)
            state = step(state, instruction, dockerfile, args)
        stages.append(StageState(stage, tuple(before), state, base))
        if stage.name:
            by_name[stage.name.lower()] = state
            index_of[stage.name.lower()] = stage.index
    return Analysis(dockerfile, args, tuple(stages))


def repository(image: str) -> str:
    """Return a reference without tag or digest: ``academy-base:latest`` -> ``academy-base``."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name.removeprefix("docker.io/").removeprefix("library/")


def step(state: State, instruction: Instruction, dockerfile: Dockerfile,
         outer: Mapping[str, str] | None = None) -> State:
    """Return the state after ``instruction``; ``outer`` holds the global ARGs."""
    span = dockerfile.span_of(instruction)
    keyword = instruction.keyword
    if keyword == "ARG":
        args = dict(state.args)
        env = {name: s.value for name, s in state.env.items()}
        _declare(instruction, args, outer or {}, state.escape, env)
        return dataclasses.replace(state, args=args)
    if keyword == "USER" and instruction.args:
        value, unknown = state.expand(instruction.args[0])
        return dataclasses.replace(state, user=Setting(value, span, unknown=unknown))
    if keyword == "WORKDIR" and instruction.args:
        value, unknown = state.expand(instruction.args[0])
        path = join_path(state.workdir_path, value)
        return dataclasses.replace(state, workdir=Setting(path, span, unknown=unknown),
                                   windows=state.windows or is_windows_path(path))
    if keyword == "ENV":
        env = dict(state.env)
        pairs = instruction.args
        for name, raw in zip(pairs[::2], pairs[1::2], strict=False):
            value, unknown = state.expand(raw)  # all of one ENV sees the values before it
            env[name] = Setting(value, span, unknown=unknown)
        return dataclasses.replace(state, env=env)
    if keyword == "EXPOSE":
        ports = tuple(Setting(state.expand(port)[0], span) for port in instruction.args)
        return dataclasses.replace(state, expose=state.expose + ports)
    if keyword in {"CMD", "ENTRYPOINT"}:
        setting = Setting(
            " ".join(instruction.args), span, instruction.args if instruction.json else ()
        )
        if keyword == "CMD":
            return dataclasses.replace(state, cmd=setting)
        return dataclasses.replace(state, entrypoint=setting, cmd=None)
    return state


def _reads_from(stage: StageState) -> list[str]:
    """Return the stages (lower-case names) a stage's COPY --from and RUN --mount from= read."""
    found = [c.from_stage.lower() for c in stage.copies() if c.from_stage]
    for instruction in stage.stage.body:
        for flag in instruction.flags:
            if flag.startswith("--mount="):
                found += [part.split("=", 1)[1].lower() for part in flag[8:].split(",")
                          if part.startswith("from=")]
    return found
