"""Helpers for the verify tests: run pytest with the snapshot plugin, read what it wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from splitter.verify.run import CONFIG_ENV, PLUGIN_DIR, PLUGIN_NAME
from splitter.verify.snapshot import ApiSnapshot, api_from_plugin

Snapshotter = Callable[..., ApiSnapshot]


@pytest.fixture
def snapshot(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Snapshotter:
    """``snapshot(*pytest_args, mode="api", imports=(), **settings)``: run the plugin in pytester's tree.

    ``settings`` are more plugin settings: ``outcomes=True``, ``only=[...]``, ``probes={...}``.
    """
    monkeypatch.setenv("PYTHONPATH", str(PLUGIN_DIR))
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    monkeypatch.setenv(
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"
    )  # faster; the plugin needs none

    def take(
        *args: str,
        mode: str = "api",
        imports: tuple[tuple[str, str], ...] = (),
        **more: object,
    ) -> ApiSnapshot:
        output, config = tmp_path / "snapshot.json", tmp_path / "config.json"
        output.unlink(missing_ok=True)
        settings = {
            "mode": mode,
            "output": str(output),
            "marker": str(tmp_path / "marker"),
        }
        config.write_text(
            json.dumps({**settings, "imports": [list(i) for i in imports], **more})
        )
        monkeypatch.setenv(CONFIG_ENV, str(config))
        runs = mode == "outcomes" or more.get("outcomes")
        collect = ("-q",) if runs else ("--collect-only", "-q")
        result = pytester.runpytest_subprocess(
            "-p", PLUGIN_NAME, "-p", "no:cacheprovider", *collect, *args
        )
        assert output.exists(), result.stdout.str() + result.stderr.str()
        return api_from_plugin(json.loads(output.read_text()))

    return take
