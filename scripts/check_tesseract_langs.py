#!/usr/bin/env python3
"""Exit 0 when tesseract has the kor and eng language data, else say what is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys

REQUIRED = ("kor", "eng")


def installed_languages() -> list[str] | None:
    """Return the languages ``tesseract --list-langs`` reports, or None without tesseract."""
    if shutil.which("tesseract") is None:
        return None
    done = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False, timeout=60
    )
    # The first line is a header: List of available languages in "...":
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return [line.strip() for line in lines if line.strip() and " " not in line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Check the languages named in ``argv`` (default kor and eng); return the exit code."""
    wanted = (argv if argv is not None else sys.argv[1:]) or list(REQUIRED)
    langs = installed_languages()
    if langs is None:
        print("tesseract is not installed (not found on PATH)")
        return 1
    missing = [lang for lang in wanted if lang not in langs]
    if missing:
        print(f"tesseract lacks language data: {', '.join(missing)}")
        print(f"installed: {', '.join(langs) or 'none'}")
        return 1
    print(f"tesseract has {', '.join(wanted)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
