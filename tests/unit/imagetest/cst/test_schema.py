"""The container-structure-test parser: strict where the real tool is, lenient where it is.

A file the real tool refuses is exit 2 at file:line here; one it runs loads here,
with what its validation finds kept on the test (which then fails alone).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dockbuild.errors import ConfigError
from dockbuild.imagetest.cst import schema

FULL = """\
schemaVersion: 2.0.0
globalEnvVars:
  - key: GLOBAL
    value: one
containerRunOptions:
  user: "1000"
  privileged: false
  allocateTty: false
  envVars: [HOME]
  capabilities: [NET_ADMIN]
  bindMounts: ["/tmp:/host-tmp"]
commandTests:
  - name: python
    setup: [["touch", "/tmp/x"]]
    teardown: [["rm", "/tmp/x"]]
    envVars: [{key: A, value: b}]
    command: python
    args: [--version]
    expectedOutput: ["Python ${PYTHON}"]
    excludedOutput: ["2\\\\.7"]
    expectedError: []
    excludedError: ["Traceback"]
    exitCode: 0
  - name: only under native
    command: ffmpeg
    skipUnderEmulation: true
fileExistenceTests:
  - name: manage.py
    path: /app/manage.py
    shouldExist: true
    permissions: "-rw-r--r--"
    uid: 1000
    gid: 1000
    isExecutableBy: any
fileContentTests:
  - name: os-release
    path: /etc/os-release
    expectedContents: ["bookworm"]
    excludedContents: ["buster"]
metadataTest:
  envVars: [{key: PATH, value: ".local/bin", isRegex: true}]
  unboundEnvVars: [{key: SECRET}]
  labels: [{key: org.opencontainers.image.title, value: api}]
  exposedPorts: ["8000"]
  unexposedPorts: ["22"]
  entrypoint: []
  cmd: [python, --version]
  workdir: /app
  user: appuser
  volumes: []
  unmountedVolumes: []
licenseTests:
  - debian: true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tests.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def load_error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        schema.load(write(tmp_path, text), shown_as=Path("docker/tests/x.yaml"))
    assert info.value.exit_code == 2
    return info.value


def test_every_key_of_the_schema_loads(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, FULL), variant=schema.Variant("3.13", "linux/arm64"))
    assert tests.schema_version == "2.0.0"
    first = tests.command_tests[0]
    assert first.expected_output == ("Python 3.13",)
    assert first.setup == (("touch", "/tmp/x"),)
    assert first.env_vars == (schema.EnvVar("A", "b"),)
    assert first.exit_code == 0
    assert tests.command_tests[1].skip_under_emulation
    existence = tests.file_existence_tests[0]
    assert (existence.uid, existence.gid, existence.permissions) == (1000, 1000, "-rw-r--r--")
    assert tests.metadata_test is not None
    assert tests.metadata_test.entrypoint == ()
    assert tests.metadata_test.cmd == ("python", "--version")
    assert tests.metadata_test.env_vars[0].is_regex
    assert tests.run_options.user == "1000"
    assert tests.run_options.bind_mounts == ("/tmp:/host-tmp",)
    assert tests.license_tests == (schema.LicenseTest(debian=True, files=(),
                                                      where=tests.license_tests[0].where),)


def test_defaults_follow_the_tool(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: "2.0.0"
        commandTests: [{name: c, command: "true"}]
        fileExistenceTests: [{name: f, path: etc/passwd}]
        metadataTest: {workdir: /app}
        """))
    command = tests.command_tests[0]
    assert command.exit_code == 0 and command.args == ()
    existence = tests.file_existence_tests[0]
    assert existence.should_exist and existence.uid is None and existence.gid is None
    assert existence.path == "/etc/passwd"
    assert tests.metadata_test is not None
    assert tests.metadata_test.cmd is None and tests.metadata_test.entrypoint is None


def test_platform_and_arch_expand(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: "2.0.0"
        commandTests:
          - {name: "arch ${ARCH}", command: uname, expectedOutput: ["${PLATFORM}", "$HOME"]}
        """), variant=schema.Variant("3.11", "linux/arm64"))
    assert tests.command_tests[0].name == "arch arm64"
    assert tests.command_tests[0].expected_output == ("linux/arm64", "$HOME")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("commandTests: []\n", 1, "schemaVersion is missing"),
        ('schemaVersion: "3.0.0"\n', 1, "unknown schemaVersion '3.0.0'"),
        ('schemaVersion: "2.0.0"\nx-common: &c {command: ls}\n', 2, "unknown key 'x-common'"),
        ('schemaVersion: "2.0.0"\ncommandTests:\n  - {name: a, command: [ls]}\n', 3,
         "must be a string"),
        ('schemaVersion: "2.0.0"\ncommandTest: []\n', 2, "unknown key 'commandTest'"),
        ('schemaVersion: "2.0.0"\ncommandTests:\n  - name: a\n    comand: ls\n', 4,
         "unknown key 'comand'"),
        ('schemaVersion: "2.0.0"\ncommandTests:\n  - {name: a, command: ls, exitCode: zero}\n', 3,
         "exitCode must be an integer"),
        ('schemaVersion: "2.0.0"\nfileExistenceTests:\n'
         '  - {name: a, path: /x, shouldExist: maybe}\n',
         3, "shouldExist must be true or false"),
        ('schemaVersion: "2.0.0"\nmetadataTest:\n  cmd: python\n', 3, "must be a list"),
        ('schemaVersion: "2.0.0"\nmetadataTest:\n  envVars: [{value: x}]\n', 3,
         "lacks the required key 'key'"),
        ('schemaVersion: "2.0.0"\nmetadataTest:\n  labels: [{key: a, vaule: b}]\n', 3,
         "unknown key 'vaule'"),
        ('schemaVersion: "2.0.0"\ncontainerRunOptions: {priviledged: true}\n', 2,
         "unknown key 'priviledged'"),
        ('schemaVersion: "2.0.0"\nschemaVersion: "2.0.0"\n', 2, "duplicate key"),
        ('schemaVersion: "2.0.0"\ncommandTests: [\n', 3, "invalid YAML"),
        ("", 1, "the file is empty"),
    ],
)
def test_bad_files_are_config_errors_at_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    error = load_error(tmp_path, text)
    assert str(error.where) == f"docker/tests/x.yaml:{line}"
    assert words in error.message


def test_the_repository_test_files_load(repo_root: Path) -> None:
    files = sorted((repo_root / "docker" / "tests").glob("*.yaml"))
    assert files, "docker/tests/ holds no structure-test files"
    for path in files:
        tests = schema.load(path)
        assert tests.command_tests or tests.file_existence_tests or tests.metadata_test


def test_what_the_real_tool_runs_loads(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: "2.0.0"
        commandTests:
          - &first {name: anchored, command: echo, args: [a], exitCode: 256}
          - <<: *first
            name: merged
          - {name: nulls, command: "true", expectedOutput: null, setup: ~}
        fileExistenceTests:
          - {name: octal, path: /x, permissions: 644}
          - {name: octal text, path: /x, permissions: "0644"}
          - {name: ls style, path: /x, permissions: "-rwsr-xr-x", isExecutableBy: everyone}
        fileContentTests: ~
        metadataTest: null
        """))
    anchored, merged, nulls = tests.command_tests
    assert (anchored.exit_code, merged.name, merged.args, merged.exit_code) == (256, "merged",
                                                                              ("a",), 256)
    assert nulls.expected_output == () and nulls.setup == ()
    assert [t.permissions for t in tests.file_existence_tests] == ["644", "0644", "-rwsr-xr-x"]
    assert tests.file_existence_tests[2].is_executable_by == "everyone"
    assert tests.file_content_tests == () and tests.metadata_test is None


def test_what_validation_finds_fails_the_test_alone(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: "2.0.0"
        commandTests:
          - command: "true"
          - {name: no command, args: [x]}
          - {name: empty setup, setup: [[]], command: "true"}
          - {name: empty env, command: "true", envVars: [{key: E, value: ""}]}
          - {name: fine, command: "true"}
        fileExistenceTests: [{name: no path}]
        """))
    invalid = [[en for en, _ko in t.invalid] for t in tests.command_tests]
    assert invalid[0] == ["Please provide a valid name for every test"]
    assert "valid command" in invalid[1][0]
    assert "empty setup" in invalid[2][0]
    assert "non-empty keys and values" in invalid[3][0]
    assert invalid[4] == []
    assert "valid file path" in tests.file_existence_tests[0].invalid[0][0]


def test_regexes_are_not_judged_when_reading(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: "2.0.0"
        commandTests: [{name: a, command: ls, expectedOutput: ["[abc", "\\\\pL"]}]
        """))
    assert tests.command_tests[0].expected_output == ("[abc", "\\pL")


def test_schema_version_1_writes_the_command_as_a_list(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: '1.0.0'
        commandTests: [{name: a, command: [sh, -c, "echo hi"], expectedOutput: [hi]}]
        """))
    assert (tests.command_tests[0].command, tests.command_tests[0].args) == ("sh",
                                                                             ("-c", "echo hi"))


def test_json_keys_match_in_any_case_and_unknown_ones_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"SchemaVersion": "2.0.0", "CommandTests": [{"Name": "a", "Command": "echo",'
                    ' "ARGS": ["hi"], "retries": 3}], "fileexistencetests": [{"Path": "/etc",'
                    ' "name": "b"}]}', encoding="utf-8")
    tests = schema.load(path)
    assert (tests.command_tests[0].name, tests.command_tests[0].args) == ("a", ("hi",))
    assert tests.file_existence_tests[0].path == "/etc"


def test_yaml_stays_strict_about_unknown_keys_and_case(tmp_path: Path) -> None:
    assert "unknown key 'CommandTests'" in load_error(
        tmp_path, 'schemaVersion: "2.0.0"\nCommandTests: []\n').message


def test_an_empty_metadata_test_is_not_run(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, 'schemaVersion: "2.0.0"\nmetadataTest: {}\n'))
    assert tests.metadata_test is None


def test_license_tests_are_read(tmp_path: Path) -> None:
    tests = schema.load(write(tmp_path, """\
        schemaVersion: "2.0.0"
        licenseTests: [{debian: true}, {files: [/a, /b]}]
        """))
    assert [(t.debian, t.files) for t in tests.license_tests] == [(True, ()), (False, ("/a", "/b"))]
