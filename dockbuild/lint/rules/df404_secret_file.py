"""DF404: the build context sends no secret-looking file."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator

from dockbuild.evidence import Severity, Span
from dockbuild.lint.rules.base import Outcome, Rule, Scope, Subject

SECRET_FILES = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.kdbx",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".netrc",
    ".npmrc",
    ".pypirc",
    ".git-credentials",
    "credentials",
    "credentials.json",
    "secrets.yaml",
    "secrets.yml",
    "secrets.json",
    "*.tfvars",
    "service-account*.json",
)
NOT_SECRET = (".env.example", ".env.sample", ".env.template", ".env.dist")


def secret_looking(path: str) -> bool:
    """Return True when a file name looks like it holds a secret."""
    name = posixpath.basename(path)
    if name in NOT_SECRET:
        return False
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in SECRET_FILES)


class SecretFileInContext(Rule):
    """The build context must not send files that look like secrets.

    Why: whatever the context sends can end up in a layer (one ``COPY .``
    away) and sits in the engine's build cache either way. ``.env`` files,
    private keys and credential files belong in .dockerignore.

    Bad::

        # apps/.env exists and .dockerignore only lists `.env` (the root one)

    Good::

        # .dockerignore
        **/.env
        **/.env.*
    """

    code = "DF404"
    name = "secret-file-in-context"
    severity = Severity.ERROR
    scope = Scope.CONTEXT
    requirement_ko = "비밀값처럼 보이는 파일을 빌드 컨텍스트로 보내지 않음"
    requirement_en = "the build context sends no secret-looking file"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Scan every sent path."""
        ignore = subject.context.ignore_file
        folder = subject.image.context.as_posix()
        prefix = "" if folder in {"", "."} else folder + "/"
        found = [
            p
            for p in subject.context.files()
            if secret_looking(p) and not (subject.manifest.root / prefix / p).is_dir()
        ]
        for path in found:
            yield self.fail(
                f"{prefix}{path} would be sent with the build context: add it to {ignore.path}",
                Span(prefix + path, 1, 1, ""),
                ko=f"`{prefix}{path}`: 빌드 컨텍스트로 전송됨: `{ignore.path}`에 추가해야 함",
            )
        if not found:
            lines = len(ignore.text.splitlines())
            where = Span(ignore.path, 1, max(lines, 1), "") if ignore.exists else None
            yield self.ok("no secret-looking file is sent", where,
                          ko="비밀값처럼 보이는 파일 전송 없음")
