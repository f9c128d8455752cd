"""How the report says things: its words in Korean and English, and how it quotes lines.

Every citation is ``Lstart-end`` (with the file's path when the row is about
another file, and "(상속)"/"(inherited)" when a service gets the line from
the base) followed by the quoted lines, one code span each; elided lines
show as an ellipsis. Every word a report prints comes from ``T``.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockbuild.evidence import Evidence, Requirement
from dockbuild.report.citing import Cite

T: dict[str, tuple[str, str]] = {
    "title_ok": ("Docker 구조 정렬 완료 보고", "Docker structure alignment: complete"),
    "title_fail": ("Docker 구조 정렬 보고 — 미완료", "Docker structure alignment: not complete"),
    "criterion": ("기준", "Criterion"),
    "criterion_text": (
        "`{manifest}`(SSOT) 대비 Dockerfile·이미지 자동 검증 (`inv report`: 정책 규칙 + hadolint"
        " + 이미지 테스트)",
        "Dockerfiles and images checked by machine against `{manifest}` (SSOT) (`inv report`:"
        " policy rules + hadolint + image tests)",
    ),
    "when": ("검증 일시", "Verified at"),
    "when_lint": ("{at} (린트 실행 시각)", "{at} (when lint ran)"),
    "when_evidence": ("{at} (가장 최근 근거 생성 시각)", "{at} (newest evidence produced)"),
    "revision": ("리비전", "Revision"),
    "dirty": ("커밋되지 않은 변경 포함", "with uncommitted changes"),
    "clean": ("작업 트리 = 커밋", "work tree = commit"),
    "no_git": ("git 저장소 아님", "not a git repository"),
    "ssot": ("SSOT", "SSOT"),
    "ssot_same": ("상수·포트·진입점 변경 없음 (기준: {label})",
                  "constants, ports and entry points unchanged (baseline: {label})"),
    "ssot_changed": ("상수·포트·진입점 변경 {n}건 (기준: {label}) — 5절 참조",
                     "{n} change(s) to constants, ports or entry points (baseline: {label}),"
                     " see section 5"),
    "ssot_none": ("기준선 없음: {problem}", "no baseline: {problem}"),
    # The baseline of section 5 (report.baseline): what "changed?" is measured against.
    "same_revision": ("기준이 현재와 같은 리비전({rev})이라 변경 여부를 판단하지 않음",
                      "the baseline is this same revision ({rev}): no change can be claimed"),
    "not_judged": ("판단 안 함", "not judged"),
    "inherited_from": ("{where}에서 상속", "inherited from {where}"),
    "held": ("반영됨", "holds"),
    "not_held": ("미반영 {n}건", "{n} failing"),
    "skipped": ("건너뜀", "skipped"),
    "base": ("뿌리 강화", "the root"),
    "service": ("통합", "integrated"),
    "layers": ("기타 Dockerfile 레이어 최적화", "Layer optimisation of the other Dockerfiles"),
    "dockerignore": ("빌드 방해 없음", "does not break builds"),
    "interfaces": ("CMD·진입점·상수 검증", "CMD, entry points and constants"),
    "images": ("빌드·이미지 테스트", "Builds and image tests"),
    "conclusion": ("결론", "Conclusion"),
    "requirement": ("요구사항", "Requirement"),
    "status": ("구현 상태", "Status"),
    "where": ("위치", "Location"),
    "image_fact": ("이미지 확인", "Built image"),
    "item": ("항목", "Item"),
    "state": ("상태", "State"),
    "none": ("없음", "none"),
    "note": ("비고", "Notes"),
    "svc": ("서비스", "Service"),
    "cmd": ("CMD/진입점", "CMD/entry point"),
    "changed": ("변경 여부", "Changed?"),
    "inherited": ("상속", "inherited"),
    "waived": ("면제", "waived"),
    "pass": ("통과", "pass"),
    "fail": ("실패", "fail"),
    "na": ("해당 없음 {n}건: {checks}", "not applicable: {n} ({checks})"),
    "unused": ("미사용", "unused"),
    "inherited_only": ("베이스 상속만 사용, 해당 COPY 없음",
                       "inherited from the base only, no such COPY"),
    "copies_under": ("COPY 대상 모두 ./ 하위", "every COPY destination under ./"),
    "apt_list": ("apt: {apt}", "apt: {apt}"),
    "ignore_comment": (".dockerignore에 `{copy}/` 없음, 주석에 명시",
                       "`{copy}/` is not in .dockerignore; a comment says why"),
    "not_excluded": ("제외 아님", "not excluded"),
    "contains": ("{copy} 포함", "holds {copy}"),
    "violated": ("`{check}` 위반", "`{check}` violated"),
    "waived_by": ("⚠️ 면제 {checks}: {reason}", "⚠️ waived {checks}: {reason}"),
    "confirmed": ("✅ `{image_id}` {what}", "✅ `{image_id}` {what}"),
    "refuted": ("❌ `{image_id}` {what}", "❌ `{image_id}` {what}"),
    "not_verified": ("이미지 미검증", "image not verified"),
    "runs": ("{n}개 RUN", "{n} RUN(s)"),
    "apt_runs": ("{n}개 RUN (update + install + rm)", "{n} RUN(s) (update + install + rm)"),
    "pip_note": ("COPY + RUN pip 유지(캐시 효율).", "COPY + RUN pip kept (cache efficiency)."),
    "ports_note": ("포트 {ports} 변경 없음.", "port {ports} unchanged."),
    "ssot_bullet_kept": ("**SSOT**: 상수·포트({ports})·진입점(CMD) 미변경 확인됨.",
                         "**SSOT**: constants, ports ({ports}) and entry points (CMD) unchanged."),
    "ssot_bullet_changed": ("**SSOT**: 상수·포트({ports})·진입점(CMD) 변경 있음 — 5절 참조.",
                            "**SSOT**: constants, ports ({ports}) or entry points (CMD) changed"
                            " — see section 5."),
    "ssot_bullet_unknown": ("**SSOT**: 상수·포트({ports})·진입점(CMD) 변경 여부 미확인"
                            " (비교할 기준선 없음).",
                            "**SSOT**: constants, ports ({ports}) and entry points (CMD) not"
                            " compared (no baseline to compare with)."),
    "ssot_kept": ("SSOT 유지", "SSOT kept"),
    "ssot_changed_short": ("SSOT 변경 있음 (5절)", "SSOT changed (section 5)"),
    "ssot_unknown": ("SSOT 변경 여부 미확인", "SSOT not compared"),
    "appendix": ("부록: 그 밖의 검사 {n}건 (전체는 results.json)",
                 "Appendix: {n} other check(s) (all of them in results.json)"),
    "check": ("검사", "Check"),
    "subject": ("대상", "Subject"),
    "done": ("**Docker 구조 정렬 완료.**", "**Docker structure alignment complete.**"),
    "not_done": ("**Docker 구조 정렬 미완료: {n}개 항목 실패.**",
                 "**Docker structure alignment not complete: {n} failing row(s).**"),
    "unverified_line": ("미검증: 이미지로 확인되지 않은 행 {n}개 (`inv build`, `inv image-test` 후"
                        " 다시 실행)",
                        "Not verified: {n} row(s) not confirmed on a built image (run"
                        " `inv build` and `inv image-test`, then report again)"),
    "verified_line": ("이미지 확인: 모든 행이 빌드된 이미지로 확인됨",
                      "Built images: every row is confirmed on a built image"),
    "waived_line": ("면제: {items}", "Waived: {items}"),
    "na_line": ("해당 없음: {n}건 (각 절에 집계)", "Not applicable: {n} (counted per section)"),
    "changes_line": ("기준선({label}) 대비 변경: {items}", "Changed against the baseline ({label}):"
                     " {items}"),
    "no_baseline_line": ("기준선 대비 변경: 기준선 없음 ({problem})",
                         "Changed against the baseline: no baseline ({problem})"),
    "others_failed": ("그 밖의 검사 실패 {n}건: {items} (부록)",
                      "{n} other check(s) failed: {items} (appendix)"),
    "layers_bullet": ("{images}: 레이어 이미 최소화 (apt 1개 RUN: {apt}; pip 1개 RUN: {pip}개"
                      " 서비스), {ssot}",
                      "{images}: layers already minimal (one apt RUN: {apt}; one pip RUN: {pip}"
                      " service(s)), {ssot}"),
    "interfaces_bullet": ("CMD·진입점: 이미지 {n}개 매니페스트와 일치",
                          "CMD and entry points: {n} image(s) match the manifest"),
    "no_engine": ("엔진 응답 없음: 이미지 정보 건너뜀 ({problem})",
                  "no engine answered: image facts skipped ({problem})"),
    "no_images": ("빌드·테스트 기록 없음: 이 절은 건너뜀"
                  " (`inv build`, `inv image-test` 후 다시 실행)",
                  "no build or test record: this section is skipped (run `inv build` and"
                  " `inv image-test`, then report again)"),
    "image": ("이미지", "Image"),
    "contents_title": ("이미지 내용 변경 (이미지별 SBOM, `reports/sbom/`)",
                       "Image contents changed? (an SBOM per image, `reports/sbom/`)"),
    "contents_baseline": ("기준: 마지막 검증 이미지 ({when})",
                          "baseline: the last verified images ({when})"),
    "contents_packages": ("패키지 (+추가, -삭제, 버전 변경)",
                          "Packages (+added, -removed, version changed)"),
    "contents_inherited": ("{parent}에서 상속된 변경 {n}건",
                           "{n} change(s) inherited from {parent}"),
    "contents_unchanged": ("내용 변경 없음 (다시 빌드됨: {old} → {new})",
                           "contents unchanged (rebuilt: {old} → {new})"),
    "contents_same_image": ("기준과 같은 이미지 ({new})", "the baseline's image itself ({new})"),
    "contents_no_image": ("이미지 없음: 비교 안 됨", "no image: not compared"),
    "contents_no_baseline": ("기준 없음: 검증된 이전 이미지가 없음 (검증 안 됨)",
                             "no baseline: no earlier verified image (not verified)"),
    "contents_no_sbom": ("SBOM 없음 ({new}): `inv image-test`가 만든다 (검증 안 됨)",
                         "no SBOM of {new} yet: `inv image-test` makes it (not verified)"),
    "contents_no_baseline_sbom": ("기준 이미지 {old}의 SBOM이 이 머신에 없음 (검증 안 됨)",
                                  "the baseline image {old} has no SBOM on this machine"
                                  " (not verified)"),
    "runner": ("러너", "Runner"),
    "merged": ("러너 {n}개의 근거를 합친 보고 (`inv report --merge`): 각 행은 그 러너의 결과와,"
               " 그 러너의 엔진이 보고 시점에 가리킨 이미지 ID",
               "merged from the evidence of {n} runner(s) (`inv report --merge`): each row is"
               " that runner's results, bound to the image id its engine's tag named when it"
               " wrote its report"),
    "variant": ("변형", "Variant"),
    "build": ("빌드", "Build"),
    "image_id": ("이미지 ID", "Image ID"),
    "size": ("크기", "Size"),
    "time": ("빌드 시간", "Build time"),
    "tests": ("테스트 (통과/실패/건너뜀)", "Tests (pass/fail/skip)"),
    "sigterm": ("SIGTERM 종료", "SIGTERM stop"),
    "unchanged": ("건너뜀 (입력 변경 없음)", "skipped (inputs unchanged)"),
    "not_built": ("빌드된 이미지 없음", "not built"),
    "present": ("있음", "present"),
    "state_built": ("빌드됨", "built"),
    "state_skipped": ("건너뜀", "skipped"),
    "state_failed": ("실패", "failed"),
    # Coverage (report.coverage): which image x variant cells were built and tested.
    "cov_label": ("검증 범위", "Coverage"),
    "cov_verified": ("{variants} 검증됨 (이미지 {n}개)", "{variants} verified ({n} images)"),
    "cov_partly": ("{variant} 일부 검증 (이미지 {n}개 중 {k}개; 미검증: {names})",
               "{variant} partly verified ({k} of {n} images; not verified: {names})"),
    "cov_not_verified": ("{variants} 미검증", "{variants} not verified"),
    "cov_nothing": ("검증 대상 없음", "nothing to verify"),
    "cov_stale": ("오래된 결과 {n}건", "{n} stale result(s)"),
    "title_partial": ("Docker 구조 정렬 보고 — 이미지 일부 미검증",
                      "Docker structure alignment: images partly verified"),
    "done_partly": ("**Dockerfile 구조 정렬 반영됨; 이미지 검증은 일부만.**",
                    "**Docker structure aligned in the Dockerfiles; images only partly"
                    " verified.**"),
}


def t(key: str, lang: str, **values: object) -> str:
    """Return the text ``key`` in ``lang`` with ``values`` filled in."""
    ko, en = T[key]
    return (ko if lang == "ko" else en).format(**values)


def req(requirement: Requirement | None, lang: str) -> str:
    """Return a requirement in ``lang`` (falling back to the other language)."""
    if requirement is None:
        return ""
    if lang == "ko":
        return requirement.ko or requirement.en
    return requirement.en or requirement.ko


def message(record: Evidence, lang: str) -> str:
    """Return a finding's message in ``lang``; in Korean without a translation, the rule and its
    requirement (hadolint speaks English only)."""
    if lang == "ko" and not record.message_ko:
        return f"{t('violated', lang, check=record.check)}: {record.requirement.ko}"
    return record.message_in(lang)


def reason(record: Evidence, lang: str) -> str:
    """Return why a finding was waived, in ``lang``; an untranslated reason is quoted as written."""
    text = record.reason_in(lang)
    return code(text) if lang == "ko" and not record.reason_ko else text


def code(text: str) -> str:
    """Return ``text`` as one inline code span that survives a Markdown table cell."""
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text.strip() else ""


def cite(item: Cite, subject: str, lang: str) -> str:
    """Return ``L25-27`` (or ``path L25-27``, ``(상속)`` when inherited) and the quoted lines."""
    span = item.span
    label = span.cite() if span.file == subject else f"{span.file} {span.cite()}"
    if item.inherited:
        label += f" ({t('inherited', lang)})"
    quoted = "<br>".join("…" if line is None else code(line) for line in item.quoted())
    return f"{label} {quoted}".rstrip()


def cites(items: Sequence[Cite], subject: str, lang: str) -> str:
    """Return every citation of a row, joined."""
    return " + ".join(cite(item, subject, lang) for item in items)


def cell(text: str) -> str:
    """Return ``text`` fit for one Markdown table cell (one line, pipes escaped)."""
    return text.replace("\n", " ").replace("|", "\\|")
