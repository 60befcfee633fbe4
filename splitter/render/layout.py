"""The blank lines between the pieces of a rendered file (pure).

Statements that were neighbours in the conftest keep the blank lines they had
there, so import groups and sections read as the user wrote them. Pieces that
meet for the first time get the blank lines black gives them at module level
(black's ``EmptyLineTracker``): two before a ``def`` or ``class`` (its
attached comments included) and after one, one after the module docstring,
exactly one between an import and what is not an import, and otherwise the
blank lines the piece had in the conftest. A conftest black already formats is
then rendered as black would write it, and black formats each file in one pass
instead of two; when black disagrees, it simply has the last word.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from splitter.model import Definition, Kind


class Edge(enum.Enum):
    """How a piece starts or ends, as far as the blank lines next to it go."""

    DEF = "def"  # starts with a def/class (or the comments attached to one), or ends inside one
    IMPORT = "import"
    DOCSTRING = "docstring"
    OTHER = "other"


@dataclass(frozen=True)
class Part:
    """A piece of a rendered file: a definition of the conftest or generated code."""

    text: str  # without the blank lines before it
    start: Edge
    end: Edge
    blank_lines: int = 1  # blank lines before it in the conftest
    index: int | None = None  # its position among the conftest's statements; None if generated
    written_by_splitter: bool = False  # generated, or a user's statement splitter changed (black formats it)

    def follows(self, previous: Part) -> bool:
        """Whether it came right after ``previous`` in the conftest."""
        return self.index is not None and previous.index == self.index - 1


def definition_part(d: Definition, text: str | None = None) -> Part:
    """``d`` (or ``text``, a filtered copy of it) as a part, its leading blank lines counted."""
    statement = d.statement
    assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    leading = list(statement.leading_lines)
    blank = 0
    while blank < len(leading) and leading[blank].comment is None:
        blank += 1
    comments = leading[blank:]
    source = d.source if text is None else text
    if blank:
        source = source.split("\n", blank)[blank]
    changed = text is not None and text != d.source
    return Part(source, _start(statement, comments), _end(d, statement), blank, d.index, changed)


def generated(text: str, start: Edge, end: Edge | None = None) -> Part:
    """Code splitter writes, starting (and, unless told otherwise, ending) as ``start`` says."""
    return Part(text.strip("\n") + "\n", start, start if end is None else end, written_by_splitter=True)


def join(parts: Sequence[Part], format_generated: Callable[[str], str] = lambda text: text, header: str = "") -> str:
    """The file: ``header`` (the conftest's leading comments), then the parts in order, with
    the blank lines between them decided as above; the parts splitter wrote go through
    ``format_generated``, the user's statements are copied byte for byte."""
    pieces: list[str] = [header] if header.strip() else []
    previous: Part | None = None
    for part in parts:
        body = (format_generated(part.text) if part.written_by_splitter else part.text).strip("\n")
        if not body.strip():
            continue
        if previous is not None:
            pieces.append("\n" * (_blank_lines(previous, part) + 1))
        pieces.append(body)
        previous = part
    return "".join(pieces) + "\n"


def _blank_lines(previous: Part, part: Part) -> int:
    if part.follows(previous):
        return min(part.blank_lines, 2)
    if Edge.DEF in (previous.end, part.start):
        return 2
    if previous.end is Edge.DOCSTRING:
        return 1
    if previous.end is Edge.IMPORT and part.start is not Edge.IMPORT:
        return 1
    return min(part.blank_lines, 2)


def _start(statement: cst.BaseStatement, comments: Sequence[cst.EmptyLine]) -> Edge:
    attached = all(line.comment is not None for line in comments)  # no blank line before the def
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and attached:
        return Edge.DEF
    if not comments and _is_import_line(statement):
        return Edge.IMPORT
    return Edge.OTHER


def _end(d: Definition, statement: cst.BaseStatement) -> Edge:
    if d.kind is Kind.DOCSTRING:
        return Edge.DOCSTRING
    if _ends_in_def(statement):
        return Edge.DEF
    return Edge.IMPORT if _is_import_line(statement) else Edge.OTHER


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[0], (cst.Import, cst.ImportFrom)
    )


def _ends_in_def(statement: cst.BaseStatement) -> bool:
    """Whether the last line of ``statement`` is inside a def or class, at any depth."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return True
    last = _last_block(statement)
    if not isinstance(last, cst.IndentedBlock) or not last.body:
        return False
    return _ends_in_def(last.body[-1])


def _last_block(statement: cst.BaseStatement) -> cst.BaseSuite | None:
    """The block a compound statement ends with (its ``else``/``finally`` when it has one)."""
    if isinstance(statement, cst.If):
        orelse = statement.orelse
        if isinstance(orelse, cst.If):
            return _last_block(orelse)
        return orelse.body if orelse is not None else statement.body
    if isinstance(statement, (cst.Try, cst.TryStar)):
        if statement.finalbody is not None:
            return statement.finalbody.body
        if statement.orelse is not None:
            return statement.orelse.body
        return statement.handlers[-1].body if statement.handlers else statement.body
    if isinstance(statement, (cst.For, cst.While)):
        return statement.orelse.body if statement.orelse is not None else statement.body
    if isinstance(statement, cst.With):
        return statement.body
    if isinstance(statement, cst.Match):
        return statement.cases[-1].body if statement.cases else None
    return None
