"""Shared test set-up.

huggingface_hub 2.x speaks httpx2, and respx patches `httpx`: `alias_httpx()` makes the
two the same module. It must run before anything imports httpx, which is why respx's
pytest plugin is disabled in pyproject (`-p no:respx`) and registered here instead.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.pop("HF_TOKEN", None)
os.environ.pop("HF_ENDPOINT", None)  # tests name their Hub explicitly; never a real one

import httpx2

httpx2.alias_httpx()

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from syncer.cli import main  # noqa: E402

pytest_plugins = ["respx.plugin"]

PROJECT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED = PROJECT / "catalog" / "open-llm-roundup.zh.md"


class FakeClock:
    """Time that passes only when something sleeps: retries and pacing, without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class CliResult:
    def __init__(self, code: int, stdout: str, stderr: str):
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, stderr={self.stderr[-400:]!r})"


@pytest.fixture
def run_cli(capsys):
    """Run `syncer ARGS...` in-process, as the console script does; return code and output."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        else:
            code = 0
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def fake_hub():
    """The fake Hub with every fixture repo, on a free loopback port."""
    from tests.fakehub import FakeHub, load_fixture_repos

    hub = load_fixture_repos(FakeHub()).start()
    yield hub
    hub.stop()


@pytest.fixture
def hub_client(fake_hub):
    """A HubClient on the fake Hub whose waits pass in fake time."""
    from syncer.hub.client import HubClient, HubSettings

    clock = FakeClock()
    client = HubClient(HubSettings(endpoint=fake_hub.url, sleep=clock.sleep, clock=clock, timeout=5.0)).open()
    client.clock = clock  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _packaged_rules_only():
    """A CLI call with `--rules` (or a project file found) sets the rules for the process;
    each test starts from the packaged ones."""
    from syncer.rules import use_project_rules

    use_project_rules(())
    yield
    use_project_rules(())
