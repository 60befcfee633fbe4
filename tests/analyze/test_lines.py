"""StatementIndex: the lines parse reports are the lines ``PositionProvider`` gives.

parse takes top-level statements' lines from their code and a nested node's from
``PositionProvider`` over its statement alone; both must agree with the provider
run over the whole module, on awkward layouts and on every corpus.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from splitter.model import Span
from splitter.analyze.references import StatementIndex
from tests.corpora import corpus_params

AWKWARD = {
    "comments-everywhere": (
        "# head\n\n"
        '"""doc"""\n'
        "import os  # trailing\n\n\n"
        "@dec  # x\n\n# between decorators\n@dec2\n"
        "def f():\n    return 1\n    # a comment closing the block\n\n        # deeper\n"
        "class A:\n    x = 1\n\n\n    # end of class\n"
        "# before x\nx = 1; y = 2\n"
        "z = (1,\n  2)\n"
        "if x:\n    pass\nelse:\n    def g():\n        yield\n    # c\n"
        "w = 1 \\\n  + 2\n"
        "# footer\n"
    ),
    "crlf-no-final-newline": "import os\r\ndef f():\r\n    pass\r\nx = 1",
    "form-feed-and-blank-tail": "x = 1\n\x0c\ny = 2\n    \n# end",
    "string-with-comment-lines": 'S = """\n# not a comment\n"""\n\n\ndef f():\n    return """\n    # nor this\n    """\n',
    "one-line-def": "def f(): return 1\nasync def g():\n  pass\n",
}


def spans_both_ways(source: str) -> tuple[list[Span], list[Span]]:
    """Every statement's and nested def's span: from StatementIndex, and from PositionProvider."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    index = StatementIndex(module)
    nodes: list[cst.CSTNode] = []

    class Nodes(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            index.enter(node)
            if node in module.body or isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Call)):
                nodes.append(node)
            return True

    module.visit(Nodes())

    def provider_span(node: cst.CSTNode) -> Span:
        decorators = getattr(node, "decorators", ())
        return Span(positions[decorators[0] if decorators else node].start.line, positions[node].end.line)

    return [index.span(n) for n in nodes], [provider_span(n) for n in nodes]


@pytest.mark.parametrize("source", AWKWARD.values(), ids=AWKWARD.keys())
def test_spans_match_position_provider(source: str) -> None:
    ours, provider = spans_both_ways(source)
    assert ours == provider


@pytest.mark.parametrize("conftest", corpus_params())
def test_spans_match_position_provider_on_corpora(conftest: Path) -> None:
    ours, provider = spans_both_ways(conftest.read_text())
    assert ours == provider
