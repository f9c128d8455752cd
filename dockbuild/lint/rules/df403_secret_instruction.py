"""DF403: no secrets in ENV, ARG or LABEL."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockbuild.evidence import Severity, Span
from dockbuild.inputs.dockerfile import Instruction
from dockbuild.inputs.secrets import looks_secret
from dockbuild.lint.rules.base import Outcome, Rule, Subject

# name words that mean "a secret", as BuildKit's SecretsUsedInArgOrEnv check reads them
_SECRET_NAME = re.compile(
    r"(^|[_\-.])(passwd|password|pword|secret|token|apikey|api_key|api-key|access_key|"
    r"private_key|credentials?|auth_?key|secret_?key)($|[_\-.])",
    re.IGNORECASE,
)
_HARMLESS = re.compile(r"(_FILE|_PATH|_ENV|_NAME|_LENGTH|_URL)$", re.IGNORECASE)


def pairs(instruction: Instruction) -> list[tuple[str, str]]:
    """Return (name, value) pairs of an ENV, ARG or LABEL."""
    if instruction.keyword == "ARG":
        return [(a.partition("=")[0], a.partition("=")[2]) for a in instruction.args]
    args = instruction.args
    return list(zip(args[::2], args[1::2], strict=False))


def masked(span: Span, value: str) -> Span:
    """Return the span with a secret value replaced, so evidence never repeats it."""
    if not value:
        return span
    return Span(span.file, span.line, span.end_line, span.text.replace(value, "****"))


class SecretInInstruction(Rule):
    """Keep keys, tokens and passwords out of ENV, ARG and LABEL.

    Why: ENV and LABEL values are stored in the image's config and ARG values
    in its history: anyone who can pull the image can read them. Names such
    as ``*_PASSWORD``/``*_TOKEN``/``*_SECRET_KEY`` and values that look like
    keys (``AKIA...``, ``-----BEGIN ... PRIVATE KEY-----``) are flagged;
    pass secrets at run time, or with ``RUN --mount=type=secret``.

    Bad::

        ENV DJANGO_SECRET_KEY=change-me

    Good::

        ENV DJANGO_SETTINGS_MODULE=src.config.settings
    """

    code = "DF403"
    name = "secret-in-instruction"
    severity = Severity.ERROR
    requirement_ko = "ENV·ARG·LABEL에 비밀값(키·토큰·비밀번호) 없음"
    requirement_en = "no secrets (keys, tokens, passwords) in ENV, ARG or LABEL"

    def check(self, subject: Subject) -> Iterator[Outcome]:
        """Check every ENV, ARG and LABEL pair."""
        assert subject.dockerfile is not None
        seen = False
        for instruction in subject.dockerfile.instructions:
            if instruction.keyword not in {"ENV", "ARG", "LABEL"}:
                continue
            seen = True
            where = subject.span(instruction)
            bad = [
                (name, value)
                for name, value in pairs(instruction)
                if looks_secret(value)
                or (
                    _SECRET_NAME.search(name)
                    and not _HARMLESS.search(name)
                    and (value or instruction.keyword == "ARG")
                )
            ]
            if not bad:
                yield self.ok(f"{instruction.keyword}: no secret-looking name or value", where,
                              ko=f"{instruction.keyword}: 비밀값처럼 보이는 이름·값 없음")
                continue
            for name, value in bad:
                kind = "value looks like a key" if looks_secret(value) else "name is a secret's"
                kind_ko = "값이 키처럼 보임" if looks_secret(value) else "비밀값 이름"
                yield self.fail(
                    f"{instruction.keyword} {name}: {kind}; it stays readable in the"
                    " image (pass it at run time or with RUN --mount=type=secret)",
                    masked(where, value),
                    ko=f"`{instruction.keyword} {name}`: {kind_ko}: 이미지에서 읽을 수 있음"
                    " (실행 시 넘기거나 `RUN --mount=type=secret` 사용)",
                )
        if not seen:
            yield self.skip("no ENV, ARG or LABEL", ko="ENV·ARG·LABEL 없음")
