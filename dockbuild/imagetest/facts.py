"""Collect what a built image holds, in two short container runs, as plain data.

One run as the image's own user (uid, working directory, PATH, whether the
entry module imports), one as root (installed Debian packages, files under the
workdir owned by root, setuid/setgid files, apt lists and package caches left).
The scripts need only the image's ``python``: every academy image has one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dockbuild.errors import ChecksFailed

AS_USER = r"""
import importlib, json, os, signal, sys
def too_slow(signum, frame):
    raise TimeoutError("the import did not finish within 60 s (does it run at import time?)")
signal.signal(signal.SIGALRM, too_slow)
facts = {"uid": os.getuid(), "gid": os.getgid(), "cwd": os.getcwd(),
         "path": os.environ.get("PATH", ""), "home": os.path.expanduser("~")}
module = sys.argv[1] if len(sys.argv) > 1 else ""
if module:
    signal.alarm(60)
    try:
        importlib.import_module(module)
        facts["module_error"] = ""
    except BaseException as exc:
        facts["module_error"] = f"{type(exc).__name__}: {exc}"
    signal.alarm(0)
print("FACTS" + json.dumps(facts))
"""

AS_ROOT = r"""
import json, os, stat, sys
workdir = sys.argv[1]
packages = []
try:
    with open("/var/lib/dpkg/status", encoding="utf-8", errors="replace") as status:
        for block in status.read().split("\n\n"):
            lines = [l for l in block.splitlines() if ": " in l and l[0] != " "]
            fields = dict(l.split(": ", 1) for l in lines)
            if fields.get("Status", "").endswith(" installed") and "Package" in fields:
                packages.append(fields["Package"])
except FileNotFoundError:
    pass
root_owned, special = [], []
for top, dirs, files in os.walk(workdir):
    for name in [*dirs, *files]:
        path = os.path.join(top, name)
        if os.lstat(path).st_uid == 0:
            root_owned.append(path)
skip = {"/proc", "/sys", "/dev"}
for top, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(top, d) not in skip]
    for name in files:
        path = os.path.join(top, name)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode) and mode & (stat.S_ISUID | stat.S_ISGID):
            special.append(path)
def entries(folder, ignore=()):
    try:
        return sorted(e for e in os.listdir(folder) if e not in ignore)
    except OSError:
        return []
caches = {
    "/var/lib/apt/lists": entries("/var/lib/apt/lists", ("lock", "partial", "auxfiles")),
    "/var/cache/apt/archives": [e for e in entries("/var/cache/apt/archives")
                                if e.endswith(".deb")],
}
for home in ["/root", *(os.path.join("/home", h) for h in entries("/home"))]:
    for sub in (".cache/pip", ".cache/pypoetry", ".cache/uv"):
        caches[os.path.join(home, sub)] = entries(os.path.join(home, sub))
caches = {k: v for k, v in caches.items() if v}
print("FACTS" + json.dumps({"packages": sorted(packages), "root_owned": root_owned,
                            "setid": sorted(special), "caches": caches}))
"""


def run_script(client: Any, image: str, script: str, args: list[str], *, user: str,
               labels: Mapping[str, str], timeout: int = 300) -> dict[str, Any]:
    """Run ``python -c script args`` in ``image`` as ``user``; return the facts it prints."""
    api = client.api
    container = api.create_container(image, command=["python", "-c", script, *args],
                                      entrypoint=[""], user=user, labels=dict(labels),
                                      environment={"PYTHONDONTWRITEBYTECODE": "1"},
                                      host_config=api.create_host_config(network_mode="none"),
                                      )["Id"]
    try:
        api.start(container)
        try:
            code = int(api.wait(container, timeout=timeout)["StatusCode"])
        except Exception:  # requests' timeout: the script hangs
            api.kill(container)
            code = -1
        output = api.logs(container, stdout=True, stderr=True).decode(errors="replace")
    finally:
        api.remove_container(container, force=True, v=True)
    for line in output.splitlines():
        if line.startswith("FACTS"):
            return dict(json.loads(line[len("FACTS"):]))
    msg = f"{image}: could not inspect the image with python (exit {code}): {output.strip()[-300:]}"
    raise ChecksFailed(msg)


def user_facts(client: Any, image: str, module: str, labels: Mapping[str, str]) -> dict[str, Any]:
    """Return uid, gid, cwd, PATH and the entry module's import error as the image's user."""
    return run_script(client, image, AS_USER, [module] if module else [], user="",
                      labels=labels)


def root_facts(client: Any, image: str, workdir: str,
               labels: Mapping[str, str]) -> dict[str, Any]:
    """Return packages, root-owned workdir files, setuid/setgid files and caches, as root."""
    return run_script(client, image, AS_ROOT, [workdir], user="0", labels=labels)
