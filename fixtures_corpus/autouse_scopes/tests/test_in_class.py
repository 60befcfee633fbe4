"""Autouse fixtures seen from test classes, including one defined in the class."""

import os

import pytest


class TestWithOwnAutouse:
    """Has its own autouse fixture in addition to the conftest ones."""

    @pytest.fixture(autouse=True)
    def _prepare(self, events, request):
        # Class-local autouse fixtures run after the conftest's function-level one.
        self.marker_seen_first = events[-1] == f"function:setup:{request.node.name}"
        self.prepared = True
        events.append(f"class-local:setup:{request.node.name}")
        yield
        events.append(f"class-local:teardown:{request.node.name}")

    def test_prepared_by_class_autouse(self, events, request):
        assert self.prepared is True
        assert self.marker_seen_first is True
        assert events[-1] == f"class-local:setup:{request.node.name}"

    def test_class_setup_happened_once(self, events):
        assert events.count("class:setup:TestWithOwnAutouse") == 1
        assert events.count("class:teardown:TestWithOwnAutouse") == 0

    def test_previous_class_local_teardowns_ran(self, events):
        setups = [e for e in events if e.startswith("class-local:setup")]
        teardowns = [e for e in events if e.startswith("class-local:teardown")]
        assert len(setups) == len(teardowns) + 1


class TestWithoutOwnAutouse:
    """Only the conftest autouse fixtures apply here."""

    def test_no_class_local_fixture(self):
        assert not hasattr(self, "prepared")

    def test_env_and_order(self, events, request):
        assert os.environ["CORPUS_APP_MODE"] == "test"
        assert events[-1] == f"function:setup:{request.node.name}"
        assert events.count("class:setup:TestWithoutOwnAutouse") == 1
