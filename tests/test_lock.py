"""requirements/lock.txt covers what pyproject.toml asks for, every pin with hashes."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import PROJECT


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_and_the_build_backend_is_pinned_with_hashes():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [re.match(r"[A-Za-z0-9_.-]+", spec).group(0) for spec in project["project"]["dependencies"]]
    wanted += [re.match(r"[A-Za-z0-9_.-]+", spec).group(0) for spec in project["build-system"]["requires"]]
    lock = (PROJECT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    # `name==version[ ; markers] \` then one `--hash=sha256:...` line or more.
    pin = r"^([A-Za-z0-9_.-]+)==(\S+)(?: ;[^\\\n]*)? \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)"
    pins = re.findall(pin, lock, re.MULTILINE)
    pinned = {_normal(name) for name, _, _ in pins}
    assert {_normal(name) for name in wanted} <= pinned, "refresh the lock: README, Reproducible installs"
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9_.-]+==", lock, re.MULTILINE)), "every pin carries hashes"
    assert not any(_normal(name) == "requests" for name, _, _ in pins), "one HTTP stack: httpx2"
