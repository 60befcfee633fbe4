"""Check a rendered split before anything is written (pure), like Black's
``assert_equivalent``: every file parses, and every original definition appears
exactly once in the output, unchanged (compared as ASTs, so formatting may differ).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping

import libcst as cst

from splitter.model import ConftestModel
from splitter.plan import SplitPlan


def _dump(source: str) -> list[str]:
    return [ast.dump(node) for node in ast.parse(source).body]


def split_problems(model: ConftestModel, plan: SplitPlan, files: Mapping[str, str]) -> tuple[str, ...]:
    """What is wrong with ``files`` as a split of ``model`` (empty when nothing is)."""
    problems: list[str] = []
    for name, text in files.items():
        try:
            cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            problems.append(f"{name} does not parse: {exc.message} (line {exc.raw_line})")
    if problems:
        return tuple(problems)
    output = Counter(dump for text in files.values() for dump in _dump(text))
    for placement in plan.placements:
        if placement.copied:
            continue
        d = model.definitions[placement.definition]
        for dump in _dump(d.source):
            if output[dump] != 1:
                where = f"line {d.span.start_line}"
                problems.append(f"the definition at {where} appears {output[dump]} times in the output")
    return tuple(problems)
