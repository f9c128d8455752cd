"""What a secret value looks like: one list for lint (DF403) and the image tests alike."""

from __future__ import annotations

import re

#: Each kind of key or token once, by what it is.
VALUE_PATTERNS: dict[str, str] = {
    "AWS access key id": r"AKIA[0-9A-Z]{16}",
    "PEM private key": r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    "GitHub token": r"gh[pousr]_[A-Za-z0-9]{30,}",
    "Slack token": r"xox[abprs]-[A-Za-z0-9-]{10,}",
    "OpenAI API key": r"sk-[A-Za-z0-9]{20,}",
    "Google API key": r"AIza[0-9A-Za-z_\-]{35}",
}
SECRET_VALUE = re.compile("|".join(f"(?:{pattern})" for pattern in VALUE_PATTERNS.values()))


def looks_secret(value: str) -> bool:
    """Return whether ``value`` holds something shaped like a key or token."""
    return SECRET_VALUE.search(value) is not None


def mask(text: str, replacement: str = "***") -> str:
    """Return ``text`` with every key-shaped part replaced, so evidence never repeats it."""
    return SECRET_VALUE.sub(replacement, text)
