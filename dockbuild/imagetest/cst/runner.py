"""Run a structure-test file against one image through the docker SDK.

Command tests run ``command args`` in a fresh container whose entrypoint is
replaced, as container-structure-test's docker driver does; setup commands run
first, each committed into a temporary image the test then uses (their exit
codes are not checked, as the real tool does not). The command and its args have
``$VAR`` expanded with the image's env first (expand.py). Containers get
no network (``--network none``): structure tests look at the image, not at the
world, and this keeps them independent of the engine's bridge. File tests read
the tar header the engine's archive endpoint returns for a path of a created
(never started) container (probe.py), licence tests too (licenses.py); metadata
tests read the image config. When the engine refuses a container (a binary the
image lacks, ``privileged`` it cannot grant), that one test fails with the
engine's reason and the rest of the file runs. Each problem is a pair,
(English, Korean); the command's and the engine's own words stay in the English one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dockbuild.evidence import Evidence, Status
from dockbuild.imagetest.cst import envfile, expand, licenses, matching
from dockbuild.imagetest.cst.probe import Probe, engine_reason, refusals
from dockbuild.imagetest.cst.records import LicenseTest
from dockbuild.imagetest.cst.schema import (
    CommandTest,
    FileContentTest,
    FileExistenceTest,
    MetadataTest,
    RunOptions,
    StructureTests,
)
from dockbuild.imagetest.results import EMULATED, FAIL, PASS, SKIP, outcome, timed

COMMAND_TIMEOUT_S = 300
_REQUIREMENT = {
    "command": ("명령이 기대한 출력과 종료 코드를 낸다",
                "the command gives the expected output and exit code"),
    "file-existence": ("파일이 기대한 권한과 소유자로 존재한다(또는 없다)",
                       "the file exists (or not) with the expected mode and owner"),
    "file-content": ("파일 내용이 기대와 일치한다", "the file's contents match"),
    "metadata": ("이미지 메타데이터가 기대와 일치한다", "the image metadata matches"),
    "license": ("라이선스 검사", "license check"),
}


class Runner:
    """Run every test of one file against one image; yield one result per test."""

    def __init__(self, client: Any, image: str, *, variant: str, emulated: bool = False,
                 labels: Mapping[str, str] | None = None,
                 config: dict[str, Any] | None = None) -> None:
        self.client = client  # may be None when the file holds metadata tests only
        self.image = image
        self.variant = variant
        self.emulated = emulated
        self.labels = dict(labels or {})
        self._config = config

    @property
    def config(self) -> dict[str, Any]:
        """Return the image's ``Config`` (env, cmd, ports ...), inspected once."""
        if self._config is None:
            self._config = self.client.api.inspect_image(self.image)["Config"] or {}
        return self._config

    def run(self, tests: StructureTests) -> list[Evidence]:
        """Run the whole file in the tool's order: commands, files, contents, metadata."""
        results = [self._one("command", t, lambda t=t: self._command(t, tests))
                   for t in tests.command_tests]
        file_tests = [*tests.file_existence_tests, *tests.file_content_tests,
                      *tests.license_tests]
        if file_tests:
            with self._probe() as probe:
                results += [self._one("file-existence", t, lambda t=t: self._existence(probe, t))
                            for t in tests.file_existence_tests]
                results += [self._one("file-content", t, lambda t=t: self._content(probe, t))
                            for t in tests.file_content_tests]
                results += [self._one("license", t, lambda t=t: self._license(probe, t))
                            for t in tests.license_tests]
        if tests.metadata_test is not None:
            meta = tests.metadata_test
            results.append(self._one("metadata", meta, lambda: self._metadata(meta)))
        return results

    # -- bookkeeping --------------------------------------------------------
    def _one(self, kind: str, test: Any, body: Callable[[], list[tuple[str, str]]]) -> Evidence:
        name = getattr(test, "name", "Metadata Test")
        if getattr(test, "skip_under_emulation", False) and self.emulated:
            return self._result(kind, name, test.where, SKIP,
                                (EMULATED, "에뮬레이션에서는 건너뜀"), 0.0)
        with timed() as timer:
            problems = body()
        status = FAIL if problems else PASS
        message = tuple("; ".join(p[n] for p in problems) for n in (0, 1))
        return self._result(kind, name, test.where, status, message, timer.seconds)

    def _result(self, kind: str, name: str, where: Any, status: Status,
                message: tuple[str, ...], seconds: float) -> Evidence:
        return outcome(check=f"cst.{kind}", name=name, image=self.image, variant=self.variant,
                       status=status, message=message[0], message_ko=message[1], where=where,
                       requirement=_REQUIREMENT[kind], duration_s=seconds)

    # -- command tests ------------------------------------------------------
    def _command(self, test: CommandTest, tests: StructureTests) -> list[tuple[str, str]]:
        if test.invalid:  # what the real tool's Validate finds: fail, run nothing
            return list(test.invalid)
        env = self._environment(tests, test)
        image_env = matching.env_mapping(self.config.get("Env"))
        image = self.image
        temporary: list[str] = []
        try:
            for argv in test.setup:
                _code, _out, _err, image = self._exec(image, argv, env, tests.run_options,
                                                      commit=True)
                temporary.append(image)
            code, out, err, _ = self._exec(image, expand.argv((test.command, *test.args),
                                                              image_env), env, tests.run_options)
            problems = []
            if code != test.exit_code:
                problems.append((f"exit code {code}, expected {test.exit_code}"
                                 f" (stderr: {err.strip()[-300:] or '(empty)'})",
                                 f"종료 코드 `{code}`: 기대값 `{test.exit_code}`"
                                 " (stderr는 영어 보고서 참조)"))
            problems += matching.output_problems(out, test.expected_output, test.excluded_output,
                                                 "stdout")
            problems += matching.output_problems(err, test.expected_error, test.excluded_error,
                                                 "stderr")
            for argv in test.teardown:
                tcode, _out, _err, _ = self._exec(image, argv, env, tests.run_options)
                if tcode != 0:
                    problems.append((f"teardown {argv!r} exited with {tcode}",
                                     f"teardown `{list(argv)}` 종료 코드 `{tcode}`"))
            return problems
        except refusals() as exc:  # the engine refused the container: this test fails
            return [engine_reason(exc)]
        finally:
            # Each is the parent of the next: newest first, one at a time (pruning would
            # take the older ones with it, and removing those again is a 404).
            for ref in reversed(temporary):
                self.client.api.remove_image(ref, force=True, noprune=True)

    def _environment(self, tests: StructureTests, test: CommandTest) -> dict[str, str]:
        image_env = matching.env_mapping(self.config.get("Env"))
        env: dict[str, str] = {}
        for name in tests.run_options.env_vars:  # passed through from the caller's environment
            if name in os.environ:
                env[name] = os.environ[name]
        if tests.run_options.env_file:
            env.update(envfile.read(tests.run_options.env_file))
        for var in tests.global_env_vars:  # "$PATH:/extra": they see the image's env only
            env[var.key] = expand.with_env(var.value, image_env)
        for var in test.env_vars:
            env[var.key] = expand.with_env(var.value, {**image_env, **env})
        return env

    def _exec(self, image: str, argv: Sequence[str], env: Mapping[str, str], options: RunOptions,
              *, commit: bool = False) -> tuple[int, str, str, str]:
        """Run one command to completion; return exit code, stdout, stderr and the image used."""
        container = self.client.api.create_container(
            image, command=list(argv), entrypoint=[""], environment=dict(env),
            user=options.user or "", tty=options.allocate_tty, labels=self.labels,
            host_config=self.client.api.create_host_config(
                network_mode="none", privileged=options.privileged,
                cap_add=list(options.capabilities) or None,
                binds=list(options.bind_mounts) or None,
            ),
        )["Id"]
        try:
            self.client.api.start(container)
            try:
                code = int(self.client.api.wait(container, timeout=COMMAND_TIMEOUT_S)["StatusCode"])
            except Exception:  # requests' ReadTimeout: the command hangs
                self.client.api.kill(container)
                code = -1
            logs = self.client.api.logs
            out = logs(container, stdout=True, stderr=False).decode(errors="replace")
            err = logs(container, stdout=False, stderr=True).decode(errors="replace")
            committed = self.client.api.commit(container)["Id"] if commit else image
            return code, out, err, committed
        finally:
            self.client.api.remove_container(container, force=True, v=True)

    # -- file tests ---------------------------------------------------------
    def _probe(self) -> Probe:
        return Probe(self.client, self.image, self.labels)

    def _existence(self, probe: Probe, test: FileExistenceTest) -> list[tuple[str, str]]:
        if test.invalid:
            return list(test.invalid)
        path = expand.path(test.path, matching.env_mapping(self.config.get("Env")))
        member = probe.header(path)
        if member is None:
            return [(f"{path} does not exist", f"`{path}` 없음")] if test.should_exist else []
        if not test.should_exist:
            return [(f"{path} exists but should not", f"`{path}` 있음: 없어야 함")]
        problems = []
        mode = matching.go_mode_string(member)
        if test.permissions is not None and mode != test.permissions:
            problems.append((f"{path} has permissions {mode}, expected {test.permissions}",
                             f"`{path}` 권한이 `{mode}`: 기대값 `{test.permissions}`"))
        if test.uid is not None and member.uid != test.uid:
            problems.append((f"{path} is owned by uid {member.uid}, expected {test.uid}",
                             f"`{path}` 소유 uid가 `{member.uid}`: 기대값 `{test.uid}`"))
        if test.gid is not None and member.gid != test.gid:
            problems.append((f"{path} has gid {member.gid}, expected {test.gid}",
                             f"`{path}` gid가 `{member.gid}`: 기대값 `{test.gid}`"))
        if test.is_executable_by:
            problems += matching.executable_problems(member.mode, test.is_executable_by,
                                                     f"{path} ({mode})")
        return problems

    def _content(self, probe: Probe, test: FileContentTest) -> list[tuple[str, str]]:
        if test.invalid:
            return list(test.invalid)
        data, path = probe.contents(test.path), test.path
        if data is None:
            return [(f"{path} does not exist or is not a regular file",
                     f"`{path}` 없음 또는 일반 파일이 아님")]
        return matching.pattern_problems(data.decode(errors="replace"), test.expected_contents,
                                         test.excluded_contents, path, f"`{path}` 내용")

    def _license(self, probe: Probe, test: LicenseTest) -> list[tuple[str, str]]:
        return licenses.problems(test, probe)

    # -- metadata -----------------------------------------------------------
    def _metadata(self, test: MetadataTest) -> list[tuple[str, str]]:
        config = self.config
        env = matching.env_mapping(config.get("Env"))
        problems = matching.env_problems(test.env_vars, env, "env")
        problems += [(f"env {v.key} is set but should not be", f"env `{v.key}` 설정됨: 없어야 함")
                     for v in test.unbound_env_vars if v.key in env]
        problems += matching.env_problems(test.labels, config.get("Labels") or {}, "label")
        problems += matching.port_problems(test.exposed_ports, test.unexposed_ports,
                                           config.get("ExposedPorts"))
        for key, expected in (("Entrypoint", test.entrypoint), ("Cmd", test.cmd)):
            actual = tuple(config.get(key) or ())
            if expected is not None and actual != expected:
                problems.append((f"{key.lower()} is {list(actual)}, expected {list(expected)}",
                                 f"{key.lower()}가 `{list(actual)}`: 기대값 `{list(expected)}`"))
        # as container-structure-test: an empty workdir or user is not checked at all
        if test.workdir and config.get("WorkingDir", "") != test.workdir:
            problems.append((f"workdir is {config.get('WorkingDir')!r}, expected {test.workdir!r}",
                             f"workdir가 `{config.get('WorkingDir')}`: 기대값 `{test.workdir}`"))
        if test.user and config.get("User", "") != test.user:
            problems.append((f"user is {config.get('User')!r}, expected {test.user!r}",
                             f"user가 `{config.get('User')}`: 기대값 `{test.user}`"))
        volumes = set(config.get("Volumes") or {})
        problems += [(f"volume {v} is not declared", f"볼륨 `{v}` 선언 없음")
                     for v in test.volumes if v not in volumes]
        problems += [(f"volume {v} is declared but should not be", f"볼륨 `{v}` 선언됨: 없어야 함")
                     for v in test.unmounted_volumes if v in volumes]
        return problems

