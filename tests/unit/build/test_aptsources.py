"""Reading the host's Debian mirror from apt's configuration, in both formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockbuild.build import aptsources
from dockbuild.errors import EnvironmentProblem

DEB822 = """\
Types: deb deb-src
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
"""


def test_one_line_entries_with_options_are_read() -> None:
    text = "# comment\ndeb-src http://x/debian bookworm main\n" \
           "deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main\n"
    sources = aptsources.parse_one_line(text)
    assert sources == [aptsources.Source("http://mirror.example/debian/", ("bookworm",), ("main",))]
    assert aptsources.pick_debian_mirror(sources) == "http://mirror.example/debian"


def test_deb822_stanzas_are_read_and_security_is_not_the_mirror() -> None:
    sources = aptsources.parse_deb822(DEB822)
    assert [s.uri for s in sources] == ["http://mirror.example/debian",
                                        "http://mirror.example/debian-security"]
    assert sources[0].suites == ("bookworm", "bookworm-updates")
    assert aptsources.pick_debian_mirror(reversed(sources)) == "http://mirror.example/debian"


def test_disabled_stanzas_and_third_party_repositories_are_skipped() -> None:
    text = "Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\n" \
           "Enabled: no\n\nTypes: deb\nURIs: https://vendor.example/apt\nSuites: nodistro\n" \
           "Components: main\n"
    assert aptsources.pick_debian_mirror(aptsources.parse_deb822(text)) is None


def test_host_sources_reads_list_and_sources_files_only(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list").write_text("")
    (tmp_path / "sources.list.d" / "debian.sources").write_text(DEB822)
    (tmp_path / "sources.list.d" / "old.list.disabled").write_text(
        "deb http://wrong.example/debian bookworm main\n")
    assert aptsources.debian_mirror(tmp_path) == "http://mirror.example/debian"


def test_no_mirror_is_an_environment_problem_with_a_fix(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem) as info:
        aptsources.debian_mirror(tmp_path)
    assert info.value.exit_code == 2
    assert "bookworm main" in info.value.hint
