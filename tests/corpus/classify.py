"""Sort findings.json's policy findings into true and false groups; write expected.json.

The verdicts are the triage of TRIAGE.md, written as patterns so they can be
re-applied after the corpus grows: a finding no pattern marks false is
judged true. Run after lint_corpus.py:

    python tests/corpus/classify.py   # writes tests/corpus/expected.json, prints the counts
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "dockerfiles"
FINDINGS = HERE / "findings.json"
EXPECTED = HERE / "expected.json"


def _windows(name: str) -> bool:
    return "windows" in name.lower() or "nanoserver" in name.lower()


def _text(name: str, line: int | None, count: int = 1) -> str:
    lines = (CORPUS / name).read_bytes().decode("utf-8", "replace").splitlines()
    start = (line or 1) - 1
    return "\n".join(lines[start:start + count])


#: (rule, false group, test(file, finding)) in order; the first that matches wins.
FALSE_GROUPS: list[tuple[str, str, object]] = [
    ("DF101", "apt lists on a cache mount: nothing ships in the layer",
     lambda f, x: "without rm" in x["message"]
     and re.search(r"type=cache[^\s\\]*target=/var/lib/apt", _text(f, x["line"], 6))),
    ("DF105", "a COPY of the one requirements file is read as bringing application code",
     lambda f, x: "also brings application code" in x["message"]
     # `COPY . dir` does bring the whole context with the requirements file: true
     and re.match(r"\s*COPY\s+(--\S+\s+)*\.\s", _text(f, x["line"])) is None),
    ("DF207", "packages installed by an earlier stage the final stage is built FROM, "
     "after a comment line inside the continuation, or with an option before `install`",
     lambda f, x: "never installed" in x["message"]),
    # DF208 "is never COPYed": no false group left. The findings that remain name
    # paths copied only in stages nothing in the final image reads (BuildKit does
    # not build them); lint_corpus.py lists every stage's copies so that DF209
    # passes, which makes those paths unsatisfiable for DF208: true findings.
    ("DF302", "USER with a variable or quotes: value not expanded / quotes kept",
     lambda f, x: re.search(r"runs as '(\"*)'", x["message"]) is not None),
    ("DF302", "USER user:group compared whole with the user name",
     lambda f, x: re.search(r"runs as '[^']+:[^']+'", x["message"]) is not None),
    ("DF302", "FROM an external image whose USER is unknown (jupyter's run as jovyan), "
     "reported as running as root",
     lambda f, x: re.search(r"no USER: .*\(from (quay|docker)\.io/jupyter/", x["message"])
     is not None),
    ("DF303", "no WORKDIR reported although the manifest's workdir is / (BuildKit's default)",
     lambda f, x: x["message"].startswith("no WORKDIR: commands run in /, not /")
     and x["message"].rstrip().endswith("not /")),
    ("DF303", "Windows WORKDIR (C:\\...) read as a relative Unix path",
     lambda f, x: "C:\\" in x["message"]),
    ("DF303", "trailing slash: /root and /root/ are the same directory",
     lambda f, x: re.search(r"WORKDIR is (\S+), not \1/$", x["message"]) is not None),
    ("DF303", "WORKDIR \"${VAR}\": quotes kept, unknown variable expanded to nothing",
     lambda f, x: '""' in x["message"]),
    ("DF304", "quotes kept in the destination, or a variable not expanded",
     lambda f, x: '"' in x["message"] or "${" in x["message"]),
    ("DF304", "relative destination without WORKDIR: BuildKit resolves it against /",
     lambda f, x: "without any WORKDIR" in x["message"]),
    ("DF305", "Windows image: no chown on Windows containers, C:\\ paths",
     lambda f, x: _windows(f)),
    ("DF305", "quotes kept in the destination",
     lambda f, x: '"' in x["message"]),
]


def classify(name: str, finding: dict) -> str | None:
    """Return the false group a finding belongs to, or None when it is judged true."""
    for rule, group, test in FALSE_GROUPS:
        if finding["rule"] == rule and test(name, finding):  # type: ignore[operator]
            return group
    return None


def main() -> int:
    """Write expected.json and print the counts per rule."""
    results = json.loads(FINDINGS.read_text())
    expected: dict[str, list[dict]] = {}
    counts: dict[str, Counter] = defaultdict(Counter)
    examples: dict[tuple[str, str], tuple[str, dict]] = {}
    for name, result in results.items():
        kept = []
        for finding in result["findings"]:
            group = classify(name, finding)
            counts[finding["rule"]]["false" if group else "true"] += 1
            if group:
                counts[finding["rule"]][group] += 1
                examples.setdefault((finding["rule"], group), (name, finding))
            else:
                kept.append({"rule": finding["rule"], "line": finding["line"]})
        expected[name] = kept
    EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    for rule in sorted(counts):
        print(f"{rule}: true {counts[rule]['true']}, false {counts[rule]['false']}")
        for key, count in counts[rule].items():
            if key not in {"true", "false"}:
                name, finding = examples[(rule, key)]
                print(f"   {count:4}  {key}\n         e.g. {name}:{finding['line']}: "
                      f"{finding['message'][:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
