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
