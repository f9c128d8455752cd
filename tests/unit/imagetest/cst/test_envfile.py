"""containerRunOptions.envFile read as a dotenv file, as the real tool's godotenv reads it."""

from __future__ import annotations

from pathlib import Path

from dockbuild.imagetest.cst import envfile


def test_dotenv_syntax(tmp_path: Path) -> None:
    path = tmp_path / "env"
    path.write_text("# a comment line\n"
                    'export QUOTED="two words"\n'
                    "SINGLE='single quoted'\n"
                    "INLINE=plain # trailing comment\n"
                    "EMPTY=\n"
                    "SPACED = around\n"
                    "NO_EQUALS\n"
                    "KEEP=${HOME}/x\n", encoding="utf-8")
    assert envfile.read(path) == {"QUOTED": "two words", "SINGLE": "single quoted",
                                  "INLINE": "plain", "EMPTY": "", "SPACED": "around",
                                  "KEEP": "${HOME}/x"}
