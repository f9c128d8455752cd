"""The seed report's rows, in its words and order: the claim, its checks, the lines that prove it.

One literal table. Each entry is one requirement of the team's report with
its fixed wording (Korean and English), the policy checks that decide it,
which lines of which file to cite (``cite``: patterns over the instructions of
the Dockerfile, or over the lines of .dockerignore) and what those lines must
hold (``proof``: the tests re-read every citation against it). ``<user>``,
``<uid>``, ``<workdir>``... are filled in from the manifest by :func:`filled`.
Pure: no files.
"""

from __future__ import annotations

import dataclasses
import re

from dockbuild.inputs.manifest import Image, Manifest
from dockbuild.report.interfaces import entry_point


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Spec:
    """One row of the report: what it claims and how it is proven."""

    key: str
    ko: str
    en: str
    checks: tuple[str, ...]
    cite: tuple[str, ...] = ()  # one pattern per instruction (or line) to cite
    last: bool = False  # cite only the last instruction a pattern matches (the final USER)
    inherit: bool = False  # a service without such a line cites the base's (inherited)
    file: str = ""  # "" = the subject's Dockerfile, else a repository path (.dockerignore)
    proof: tuple[str, ...] = ()  # what the cited lines hold, together
    absent: str = ""  # phrase key said instead of a citation (unused, no such COPY)
    held: str = ""  # phrase key of a passing row's status word (not excluded, contains)
    note: str = ""  # phrase key added after the citation
    image_check: str = ""  # the image test that confirms the row on the built image
    short: tuple[str, str] = ("", "")  # the conclusion's words for the row


BASE: tuple[Spec, ...] = (
    Spec(key="builder-pip", checks=("DF307",),
         ko="builder: `pip install --upgrade pip`와 `<requirements>` 설치 단일 RUN",
         en="builder: `pip install --upgrade pip` and the `<requirements>` install in one RUN",
         cite=(r"pip install --upgrade pip",),
         proof=(r"pip install --upgrade pip", r"-r <requirements_path>"),
         short=("builder 단일 RUN", "builder in one RUN")),
    Spec(key="app-user", checks=("DF301",),
         ko="runtime: <user> UID <uid> 생성", en="runtime: create <user> with UID <uid>",
         cite=(r"useradd",), proof=(r"groupadd --gid <gid> <user>", r"useradd --uid <uid>"),
         image_check="image.user", short=("<user> UID <uid>", "<user> UID <uid>")),
    Spec(key="final-user", checks=("DF302",), ko="runtime: USER <user>", en="runtime: USER <user>",
         cite=(r"^USER <user>$",), last=True, proof=(r"^USER <user>$",),
         image_check="image.user", short=("non-root(<user>)", "non-root (<user>)")),
    Spec(key="workdir", checks=("DF303", "DF304"), ko="<workdir> 경로 유지",
         en="keep the <workdir> path", cite=(r"^WORKDIR <workdir>$",), last=True,
         proof=(r"^WORKDIR <workdir>$",), note="copies_under", image_check="image.workdir",
         short=("<workdir>", "<workdir>")),
    Spec(key="chown", checks=("DF305",), ko="chown 처리", en="chown handled",
         cite=(r"chown -R",), proof=(r"chown -R <user>:<user> .*<workdir>", r"<home>"),
         image_check="image.app-ownership", short=("chown", "chown")),
    Spec(key="path", checks=("DF306",), ko="PATH에 .local/bin 포함",
         en="PATH includes .local/bin", cite=(r"^ENV PATH=.*\.local/bin",),
         proof=(r"PATH=<home>/\.local/bin",), image_check="image.path",
         short=("PATH", "PATH")),
)

#: Section 2: a service that adds files of its own (the seed's ai-worker-cpu).
SERVICE: tuple[Spec, ...] = (
    Spec(key="from-base", checks=("DF201",), ko="FROM <parent> 상속",
         en="inherit FROM <parent>", cite=(r"^ARG BASE_IMAGE=", r"^FROM \$\{BASE_IMAGE\}"),
         proof=(r"^ARG BASE_IMAGE=<parent>$", r"^FROM \$\{BASE_IMAGE\}$"),
         image_check="image.from-base", short=("<base> 상속", "inherits <base>")),
    Spec(key="no-root-image", checks=("DF202",), ko="FROM <root_image> 폐기",
         en="FROM <root_image> dropped", absent="unused"),
    Spec(key="no-base-copy", checks=("DF308",), ko="<base_copies> 복사 제거",
         en="no copy of <base_copies>", absent="inherited_only",
         short=("중복 COPY 제거", "no duplicate COPY")),
    Spec(key="apt-packages", checks=("DF207", "DF101", "DF102", "DF103"),
         ko="<who> 전용 시스템 패키지<what>", en="<who>-specific system packages<what>",
         cite=(r"apt-get install",), proof=(r"--no-install-recommends", r"<packages>"),
         note="apt_list", image_check="image.apt",
         short=("<who> 전용 apt", "<who>-specific apt")),
    Spec(key="own-copies", checks=("DF209", "DF208", "DF305"), ko="<copies> 복사만 추가",
         en="only <copies> added", cite=(r"^COPY\b.*\s<copy>\s", r"^RUN\b.*chown\b.*<copy>"),
         proof=(r"^COPY\b.*\s<copy>\s", r"chown"), short=("<copies>", "<copies>")),
)

#: Section 3: the layer table of the other services, one entry per column.
LAYERS: tuple[Spec, ...] = (
    Spec(key="apt-run", checks=("DF101", "DF102", "DF207"), ko="apt-get: 1개 RUN",
         en="apt-get: one RUN", cite=(r"apt-get install",),
         proof=(r"apt-get update", r"--no-install-recommends", r"<packages>",
                # the lists leave no layer: removed in the RUN, or a cache mount holds them
                r"rm -rf /var/lib/apt/lists|type=(cache|tmpfs),([^ ]*,)?target=/var/lib/apt/lists"),
         image_check="image.apt"),
    Spec(key="pip-run", checks=("DF104", "DF105"), ko="pip: 1개 RUN", en="pip: one RUN",
         cite=(r"pip install",), proof=(r"pip install .*-r <requirements_path>",)),
    Spec(key="apt-order", checks=("DF103",), ko="USER root → apt → USER <user> → pip",
         en="USER root → apt → USER <user> → pip",
         cite=(r"^USER root$", r"^USER <user>$"), proof=(r"^USER root$", r"^USER <user>$")),
    Spec(key="inherited-user", checks=("DF302",), ko="베이스 상속으로 <user>",
         en="<user> inherited from the base", cite=(r"^USER <user>$",), last=True,
         inherit=True, proof=(r"^USER <user>$",), image_check="image.user"),
)

#: Section 4: .dockerignore, for each folder a service adds.
DOCKERIGNORE: tuple[Spec, ...] = (
    Spec(key="not-excluded", checks=("DF401",), ko="<copy>/ 제외 여부", en="<copy>/ excluded?",
         file=".dockerignore", cite=(r"^#.*<copy>/",), proof=(r"^#.*<copy>/",),
         held="not_excluded", note="ignore_comment",
         short=("<copy> 제외 없음", "<copy> not excluded")),
    Spec(key="context-holds", checks=("DF402",), ko="<service> 빌드 시 컨텍스트",
         en="build context of <service>", cite=(r"^COPY\b.*\s<copy>\s",),
         proof=(r"^COPY\b.*\s<copy>\s",), held="contains",
         short=("COPY <copy> 정상 동작", "COPY <copy> works")),
)

#: Section 5: one row per image.
INTERFACE = Spec(key="interface", checks=("DF203", "DF204", "DF205", "DF206"),
                 ko="CMD/진입점 변경 없음", en="CMD/entry point unchanged",
                 cite=(r"^EXPOSE\b", r"^CMD\b"), last=True, inherit=True,
                 proof=(r"<entry>",), image_check="image.cmd")


def terms(manifest: Manifest, image: Image) -> dict[str, str]:
    """Return what a row's ``<name>`` placeholders stand for, for one image."""
    base = manifest.base
    user = base.user
    parent = manifest.get(image.parent) if image.parent else base
    requirements = image.requirements or base.requirements
    who = image.name.split("-", 1)[0]
    return {
        "user": user.name, "uid": str(user.uid), "gid": str(user.gid), "home": user.home,
        "workdir": base.workdir, "base": base.name, "parent": f"{parent.image}:latest",
        "root_image": base.root_image_for(manifest.variants.default_python),
        "requirements": requirements.name if requirements else "requirements",
        "requirements_path": requirements.as_posix() if requirements else "requirements",
        "copies": ", ".join(image.copies), "copy": "|".join(image.copies),
        "base_copies": ", ".join(base.copies), "service": image.name,
        "packages": "|".join(image.apt), "who": who.upper() if len(who) <= 2 else who,
        "what": "(OCR 등)" if any("ocr" in p for p in image.apt) else "",
        "entry": entry_point(image.cmd), "ports": "|".join(map(str, image.ports)),
    }


def _fill(text: str, values: dict[str, str], *, pattern: bool) -> str:
    def one(match: re.Match[str]) -> str:
        value = values[match[1]]
        if not pattern:
            return value
        # "a|b" in a pattern is one alternation of escaped names.
        return "(?:" + "|".join(re.escape(v) for v in value.split("|")) + ")"
    return re.sub(r"<(\w+)>", one, text)


def filled(spec: Spec, manifest: Manifest, image: Image) -> Spec:
    """Return ``spec`` with its placeholders filled in for ``image``."""
    values = terms(manifest, image)
    what = "(OCR etc.)" if values["what"] else ""
    words = {**values, "copy": values["copies"]}
    proof = tuple(_fill(p, values, pattern=True) for p in spec.proof)
    if "<packages>" in spec.proof:
        # every package must be named by the cited lines, not just one of them
        proof = tuple(p for p in proof if p != _fill("<packages>", values, pattern=True))
        proof += tuple(rf"(?:^|\s){re.escape(p)}(?:\s|$)" for p in image.apt)
    return dataclasses.replace(
        spec, ko=_fill(spec.ko, words, pattern=False),
        en=_fill(spec.en, {**words, "what": what}, pattern=False),
        cite=tuple(_fill(c, values, pattern=True) for c in spec.cite), proof=proof,
        short=(_fill(spec.short[0], words, pattern=False),
               _fill(spec.short[1], words, pattern=False)),
    )
