"""--cache-from: the registry tag a build takes its layers from."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockbuild import commands
from dockbuild.build import cache_from as buildcache
from dockbuild.build import plan, push
from dockbuild.engine import registry
from dockbuild.errors import EnvironmentProblem, InputError
from dockbuild.inputs import manifest


def test_cache_from_pulls_the_tag_another_engine_pushed(repo_root: Path) -> None:
    loaded = manifest.load(repo_root)
    step = plan.plan(loaded, "3.11", "linux/arm64", services=["api"])[-1]
    assert buildcache.cache_ref("127.0.0.1:5000", step) == "127.0.0.1:5000/academy-api:py3.11-arm64"
