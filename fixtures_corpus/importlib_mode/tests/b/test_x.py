"""Second module named ``test_x`` (would clash in prepend mode without packages)."""

import sys

LABEL = "b"


def test_module_identity(module_info, modules_seen):
    assert module_info["folder"] == "b"
    assert sys.modules[module_info["name"]].LABEL == "b"
    # If the ``a`` twin was imported in this process, it is a distinct module.
    twins = [m for name, m in modules_seen.items() if name.endswith("test_x")]
    assert len({m.LABEL for m in twins}) == len(twins)


def test_not_on_syspath(syspath_snapshot, tests_dir):
    assert str(tests_dir / "b") not in syspath_snapshot
