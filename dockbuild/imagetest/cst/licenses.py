"""licenseTests as container-structure-test runs them (pkg/types/v2/licenses.go).

``debian: true``: every folder in /usr/share/doc (but the allow-listed
libgnutls30) must hold a readable ``copyright`` file; ``files``: each listed file
must be readable. No file read may contain a forbidden licence's name (AGPL,
WTFPL, compared in upper case). One result per entry, named "License Test".
"""

from __future__ import annotations

from typing import Any

from dockbuild.imagetest.cst.records import LicenseTest

DEBIAN_ROOT = "/usr/share/doc"
COPYRIGHT = "copyright"
#: Packages whose licence is not checked (the real tool's whitelist).
ALLOWED_PACKAGES = ("libgnutls30",)
#: Words that fail a licence file that contains them (the real tool's blacklist).
FORBIDDEN = ("AGPL", "WTFPL")


def problems(test: LicenseTest, probe: Any) -> list[tuple[str, str]]:
    """Return what is wrong with the image's licences as (English, Korean); ``probe`` reads."""
    found: list[tuple[str, str]] = []
    if test.debian:
        packages = probe.folders(DEBIAN_ROOT)
        if packages is None:
            return [(f"cannot read {DEBIAN_ROOT}: it does not exist in the image",
                     f"`{DEBIAN_ROOT}` 읽을 수 없음: 이미지에 없음")]
        for package in packages:
            if package not in ALLOWED_PACKAGES:
                found += _check(probe, f"{DEBIAN_ROOT}/{package}/{COPYRIGHT}")
    for path in test.files:
        found += _check(probe, path)
    return found


def forbidden_word(text: str) -> str | None:
    """Return the first forbidden licence name ``text`` contains (case-insensitively)."""
    upper = text.upper()
    return next((word for word in FORBIDDEN if word in upper), None)


def _check(probe: Any, path: str) -> list[tuple[str, str]]:
    data = probe.contents(path)
    if data is None:
        return [(f"cannot read the licence file {path}", f"라이선스 파일 `{path}` 읽을 수 없음")]
    word = forbidden_word(data.decode(errors="replace"))
    if not word:
        return []
    return [(f"invalid licence in {path}: it contains {word}",
             f"`{path}` 라이선스 부적합: 금지된 `{word}` 포함")]
