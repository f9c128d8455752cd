"""Developer entry points (`inv --list`): one task per verb that dockbuild.cli declares."""

from __future__ import annotations

from dockbuild.inv import namespace

ns = namespace()
