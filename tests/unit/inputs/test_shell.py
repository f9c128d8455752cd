"""What a RUN does: simple commands in order, with the operators between them."""

from __future__ import annotations

from dockbuild.inputs import shell


def shape(script: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.op, c.program, c.args) for c in shell.commands(script)]


def test_an_and_chain_keeps_order_and_operators() -> None:
    assert shape("apt-get update && apt-get install -y x || true; rm -rf /var/lib/apt/lists/*") == [
        ("", "apt-get", ("update",)),
        ("&&", "apt-get", ("install", "-y", "x")),
        ("||", "true", ()),
        (";", "rm", ("-rf", "/var/lib/apt/lists/*")),
    ]


def test_assignments_and_wrappers_are_not_the_program() -> None:
    (cmd,) = shell.commands("DEBIAN_FRONTEND=noninteractive sudo -E apt-get -qy install x")
    assert cmd.program == "apt-get"
    assert cmd.subcommand == "install"
    assert cmd.has_option("-y")


def test_compound_commands_are_flattened() -> None:
    assert [c.program for c in shell.commands("set -eux; if [ -f a ]; then pip install b; fi")] == [
        "set", "[", "pip"]


def test_unparseable_shell_falls_back_to_the_tokenizer() -> None:
    script = "case $x in a) apt-get install -y y;; esac && rm -rf /var/lib/apt/lists/*"
    programs = [c.program for c in shell.commands(script)]
    assert "rm" in programs


def test_pip_is_found_in_every_spelling() -> None:
    cmds = shell.commands("python3 -m pip install -U pip && pip3.11 install --user -r r.txt"
                          " --requirement=s.txt -rt.txt")
    installs = list(shell.pip_installs(cmds))
    assert [i.subcommand for i in installs] == ["install", "install"]
    assert shell.requirement_files(installs[1]) == ("r.txt", "s.txt", "t.txt")


def _scripts() -> list[str]:
    """Every RUN script of the lint corpus's public Dockerfiles and of this repository."""
    from pathlib import Path

    from dockbuild.errors import DockbuildError
    from dockbuild.inputs.dockerfile import decode, parse

    top = Path(__file__).resolve().parents[3]
    found = []
    for path in sorted([*(top / "tests/corpus/dockerfiles").rglob("*.Dockerfile"),
                        *(top / "docker").rglob("Dockerfile*")]):
        try:
            dockerfile = parse(decode(path.read_bytes(), str(path)), str(path))
        except DockbuildError:
            continue
        found += [i.script for i in dockerfile.instructions if i.keyword == "RUN"]
    return found


def test_a_plain_script_splits_as_bashlex_parses_it() -> None:
    """The fast path for scripts of plain words and operators, against bashlex itself."""
    scripts = _scripts()
    plain = [s for s in scripts if shell._plain(s) is not None]
    assert len(scripts) > 500 and len(plain) > 100  # both paths see real work
    assert [shell._plain(s) for s in plain] == [shell._parsed(s) for s in plain]
    made = ["a;b|c&d", "A=1 B=2 make -j4 install && make clean", "ls -la /x/*.py ; true",
            "[ -f /etc/os-release ] && cat /etc/os-release", "a && b || c &", ""]
    assert [shell._plain(s) for s in made] == [shell._parsed(s) for s in made]


def test_anything_else_goes_to_bashlex() -> None:
    for script in ("echo $HOME", "echo 'a b'", "a > /dev/null", "if true; then x; fi",
                   "time make", "a &&", "(cd x && make)", "echo ~/x", "a # comment",
                   "a\nb", "{ a; b; }", "! a", "[[ -f x ]] && y", ";; a"):
        assert shell._plain(script) is None, script
