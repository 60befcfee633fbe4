"""Behaviour of fixtures whose annotations use TYPE_CHECKING-only names."""

import json
import pathlib


def test_workspace_is_a_directory(workspace, tmp_path):
    assert isinstance(workspace, pathlib.Path)
    assert workspace.is_dir()
    assert workspace.parent == tmp_path


def test_write_file(write_file, workspace):
    target = write_file("notes.txt", "hello")
    assert target.parent == workspace
    assert target.read_text(encoding="utf-8") == "hello"


def test_json_file(json_file, cleaned_log):
    assert json.loads(json_file.read_text(encoding="utf-8")) == {"answer": 42}
    # Workspaces of earlier tests were emptied on teardown.
    assert all(isinstance(names, list) for names in cleaned_log)


def test_node_name(node_name):
    assert node_name == "test_node_name"
