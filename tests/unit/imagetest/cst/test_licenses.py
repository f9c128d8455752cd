"""licenseTests, against a fake probe: Debian copyright files and listed files."""

from __future__ import annotations

from collections.abc import Callable

from dockbuild.errors import Location
from dockbuild.imagetest.cst import licenses
from dockbuild.imagetest.cst.records import LicenseTest

WHERE = Location("x.yaml", 1)


class FakeProbe:
    def __init__(self, files: dict[str, bytes], folders: dict[str, list[str]]) -> None:
        self.files = files
        self.dirs = folders

    def contents(self, path: str) -> bytes | None:
        return self.files.get(path)

    def folders(self, path: str) -> list[str] | None:
        return self.dirs.get(path)


IMAGE = FakeProbe(
    {"/usr/share/doc/pkg-mit/copyright": b"License: MIT",
     "/usr/share/doc/pkg-gpl/copyright": b"License: GPL-2+",
     "/licenses/agpl.txt": b"License: agpl-3",
     "/licenses/wtf.txt": b"WTFPL"},
    {"/usr/share/doc": ["libgnutls30", "pkg-gpl", "pkg-mit"]},
)


def english(problems: list[tuple[str, str]]) -> list[str]:
    return [en for en, _ko in problems]


def test_debian_checks_every_package_but_the_allowed_one() -> None:
    assert licenses.problems(LicenseTest(debian=True, where=WHERE), IMAGE) == []


def test_a_package_without_copyright_fails() -> None:
    probe = FakeProbe({}, {"/usr/share/doc": ["pkg"]})
    assert english(licenses.problems(LicenseTest(debian=True, where=WHERE), probe)) == [
        "cannot read the licence file /usr/share/doc/pkg/copyright"]


def test_no_doc_folder_fails() -> None:
    problems = licenses.problems(LicenseTest(debian=True, where=WHERE), FakeProbe({}, {}))
    assert english(problems) == ["cannot read /usr/share/doc: it does not exist in the image"]


def test_listed_files_must_exist_and_hold_no_forbidden_licence(
        not_korean: Callable[..., list[str]]) -> None:
    test = LicenseTest(files=("/licenses/agpl.txt", "/licenses/wtf.txt", "/nope",
                              "/usr/share/doc/pkg-mit/copyright"), where=WHERE)
    problems = licenses.problems(test, IMAGE)
    assert [p for _en, ko in problems for p in not_korean(ko)] == []
    assert english(problems) == [
        "invalid licence in /licenses/agpl.txt: it contains AGPL",
        "invalid licence in /licenses/wtf.txt: it contains WTFPL",
        "cannot read the licence file /nope",
    ]
