"""verify: prove a split kept the fixture API (DESIGN.md, "The fixture API contract").

``plugin/splitter_snapshot_plugin.py`` records the API inside a pytest
subprocess (``run``); ``snapshot`` holds it as frozen dataclasses; ``compare``
is the pure before/after diff (``bodies``: whether a fixture kept its body, up
to imports moved into it); ``imports`` finds names tests import from
conftest modules; ``legacy`` re-creates the pre-migration tree from the
backup; ``verifier`` ties them together (:mod:`splitter.report.verification`
shows the result).
"""

from splitter.verify.compare import DiffKind, Difference, compare
from splitter.verify.snapshot import ApiSnapshot, Recording
from splitter.verify.verifier import VerifyResult, VerifySettings, verify

__all__ = [
    "ApiSnapshot",
    "DiffKind",
    "Difference",
    "Recording",
    "VerifyResult",
    "VerifySettings",
    "compare",
    "verify",
]
