"""prelude: the process state a conftest builds before each import, read without running it (pure, libcst).

A conftest often prepares the process before it imports the application::

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DATABASE_URL", "sqlite://")
    from app.main import app          # fails without the two lines above

Measuring ``app.main`` in a clean interpreter would fail, count as 0 MB, and rate
the fixtures that need it MINIMAL. So import costs are measured after replaying
those statements, in source order, up to the import being measured. Only forms
whose effect can be read from the text alone are replayed; nothing of the
conftest is executed:

- environment: ``os.environ[K] = V``, ``os.environ.setdefault(K, V)``,
  ``os.environ.update({K: V, ...})`` / ``update(K=V)``, ``del os.environ[K]``,
  ``os.environ.pop(K, ...)``, and ``MonkeyPatch().setenv(K, V)`` /
  ``delenv(K)`` on an inline ``MonkeyPatch()`` or a name bound to one;
- ``sys.path``: ``insert(I, P)``, ``append(P)``, ``extend([P, ...])``,
  ``MonkeyPatch().syspath_prepend(P)``;
- an import kept for its side effect (it binds a name nothing reads, such as
  ``import _test_env  # noqa: F401``) of one of the project's own modules: it is
  imported first, as part of what the later import costs;
- ``pytest_configure``'s own top-level statements of the forms above: they run
  after the conftest, so only for modules imported later (by fixtures, by tests).

Values are literals: strings, integers, names bound earlier at module level to a
literal, ``__file__``, and ``Path``/``os.path`` arithmetic on them (``parent``,
``parents[i]``, ``/``, ``resolve()``, ``dirname``, ``join``…), and ``str()`` of
those. A statement of one of these forms whose values are anything else, or one
inside an ``if``/``try``/``with``/``for`` block, is *not replayed* and listed as
such. docs/MEASURE.md has the list.
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import libcst as cst

from splitter.analyze.impact import resolve_module
from splitter.model import AFTER_THE_CONFTEST, Action, ImportedModule, NotReplayed, Prelude, Step

MONKEYPATCH = frozenset({"pytest.MonkeyPatch", "_pytest.monkeypatch.MonkeyPatch"})
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"})


def read_prelude(
    numbered: Sequence[tuple[int, cst.BaseStatement]], source: str, conftest: str, package: str | None
) -> Prelude:
    """The :class:`Prelude` of a conftest's top-level statements, each with its first line
    (``conftest`` is its absolute path, for ``__file__``). Side-effect imports of any
    non-standard module are included: keep only the project's own with
    :meth:`Prelude.keeping_imports`."""
    statements = [statement for _, statement in numbered]
    reader = _Reader(conftest)
    unread = _unread_names(statements, source)
    for position, (line, statement) in enumerate(numbered):
        reader.statement(position, line, statement, unread)
    for line, statement in numbered:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "pytest_configure":
            if isinstance(statement.body, cst.IndentedBlock):
                for inner in statement.body.body:  # runs after the conftest: line of the hook
                    reader.statement(AFTER_THE_CONFTEST, line, inner, frozenset(), top_level=False)
    return Prelude(
        steps=tuple(reader.steps),
        not_replayed=tuple(reader.not_replayed),
        first_imports=tuple(sorted(_first_imports(statements, package).items())),
    )


# -- reading statements -----------------------------------------------------------------


@dataclass
class _Reader:
    """Reads statements in source order, remembering the literal names bound so far."""

    conftest: str
    steps: list[Step] = field(default_factory=list)
    not_replayed: list[NotReplayed] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> qualified (os, os.environ, pytest…)
    values: dict[str, object] = field(default_factory=dict)  # names bound to literal values
    monkeypatches: set[str] = field(default_factory=set)  # names bound to MonkeyPatch()
    line: int = 0

    def statement(
        self, position: int, line: int, statement: cst.BaseStatement, unread: frozenset[str], top_level: bool = True
    ) -> None:
        self.line = line
        if not isinstance(statement, cst.SimpleStatementLine):
            if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                for found in _Mentions(self).found(statement):
                    self.skip(found, "inside a block: whether it runs cannot be read")
            self.forget(_bound_by(statement))
            return
        for small in statement.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                self.imported(position, small, unread if top_level else frozenset())
            else:
                self.small(position, small)

    def imported(self, position: int, node: cst.Import | cst.ImportFrom, unread: frozenset[str]) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                bound = _alias_name(alias) or dotted.split(".")[0]
                self.bind(bound, dotted if alias.asname is not None else bound)
                if bound in unread and dotted.split(".")[0] not in sys.stdlib_module_names:
                    self.steps.append(Step(position, self.line, Action.IMPORT, dotted))
            return
        if isinstance(node.names, cst.ImportStar) or node.relative or node.module is None:
            return
        module = _dotted(node.module)
        for alias in node.names:
            bound = _alias_name(alias) or _dotted(alias.name)
            self.bind(bound, f"{module}.{_dotted(alias.name)}")
        names = {_alias_name(a) or _dotted(a.name) for a in node.names}
        if module != "__future__" and names <= unread and module.split(".")[0] not in sys.stdlib_module_names:
            self.steps.append(Step(position, self.line, Action.IMPORT, module))

    def bind(self, name: str, qualified: str) -> None:
        self.forget({name})
        self.aliases[name] = qualified

    def forget(self, names: Iterable[str]) -> None:
        for name in names:
            self.aliases.pop(name, None)
            self.values.pop(name, None)
            self.monkeypatches.discard(name)

    def small(self, position: int, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, cst.Assign):
            self.assign(position, small)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self.forget(_target_names(small.target))
            if isinstance(small.target, cst.Name):
                self.remember(small.target.value, small.value)
        elif isinstance(small, cst.AugAssign):
            self.forget(_target_names(small.target))
        elif isinstance(small, cst.Del):
            self.delete(position, small.target)
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            self.call(position, small.value)

    def assign(self, position: int, node: cst.Assign) -> None:
        for target in node.targets:
            subject = target.target
            if isinstance(subject, cst.Subscript) and self.is_environ(subject.value):
                key = _subscript_key(subject)
                self.set_env(position, Action.SET_ENV, key, node.value, node)
            else:
                self.forget(_target_names(subject))
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.remember(node.targets[0].target.value, node.value)

    def remember(self, name: str, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Call) and self.qualified(value.func) in MONKEYPATCH:
            self.monkeypatches.add(name)
            return
        found = self.evaluate(value)
        if found is not None:
            self.values[name] = found

    def delete(self, position: int, target: cst.BaseExpression) -> None:
        targets = [e.value for e in target.elements] if isinstance(target, (cst.Tuple, cst.List)) else [target]
        for item in targets:
            if isinstance(item, cst.Subscript) and self.is_environ(item.value):
                key = self.string(_subscript_key(item))
                if key is None:
                    self.skip(item, "the variable is not a literal")
                else:
                    self.steps.append(Step(position, self.line, Action.UNSET_ENV, key))
            else:
                self.forget(_target_names(item))

    def call(self, position: int, call: cst.Call) -> None:
        func = call.func
        if not isinstance(func, cst.Attribute):
            return
        method, owner = func.attr.value, func.value
        args = [a for a in call.args if a.keyword is None and a.star == ""]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if self.is_environ(owner):
            self.environ_call(position, call, method, args, keywords)
        elif self.qualified(owner) == "sys.path":
            self.path_call(position, call, method, args)
        elif self.is_monkeypatch(owner):
            self.monkeypatch_call(position, call, method, args, keywords)

    def environ_call(
        self,
        position: int,
        call: cst.Call,
        method: str,
        args: list[cst.Arg],
        keywords: Mapping[str, cst.BaseExpression],
    ) -> None:
        if method == "setdefault" and len(args) == 2:
            self.set_env(position, Action.DEFAULT_ENV, args[0].value, args[1].value, call)
        elif method == "update" and len(args) <= 1:
            pairs = self.update_pairs(args, keywords)
            if pairs is None:
                self.skip(call, "the mapping is not a literal")
                return
            for key, value in pairs:
                self.set_env(position, Action.SET_ENV, key, value, call)
        elif method == "pop" and args:
            self.unset_env(position, args[0].value, call)
        elif method in ("__setitem__", "clear", "popitem"):
            self.skip(call, "not a form splitter replays")

    def update_pairs(
        self, args: list[cst.Arg], keywords: Mapping[str, cst.BaseExpression]
    ) -> list[tuple[cst.BaseExpression, cst.BaseExpression]] | None:
        pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
        if args:
            mapping = args[0].value
            if not isinstance(mapping, cst.Dict) or not all(isinstance(e, cst.DictElement) for e in mapping.elements):
                return None
            pairs += [(e.key, e.value) for e in mapping.elements if isinstance(e, cst.DictElement)]
        pairs += [(cst.SimpleString(repr(k)), v) for k, v in keywords.items()]
        return pairs

    def path_call(self, position: int, call: cst.Call, method: str, args: list[cst.Arg]) -> None:
        if method == "insert" and len(args) == 2:
            at = self.evaluate(args[0].value)
            self.add_path(position, Action.INSERT_PATH, args[1].value, call, at if isinstance(at, int) else None)
        elif method == "append" and len(args) == 1:
            self.add_path(position, Action.APPEND_PATH, args[0].value, call)
        elif method == "extend" and len(args) == 1 and isinstance(args[0].value, (cst.List, cst.Tuple)):
            for element in args[0].value.elements:
                self.add_path(position, Action.APPEND_PATH, element.value, call)
        elif method in ("extend", "remove", "pop", "clear"):
            self.skip(call, "not a form splitter replays")

    def monkeypatch_call(
        self,
        position: int,
        call: cst.Call,
        method: str,
        args: list[cst.Arg],
        keywords: Mapping[str, cst.BaseExpression],
    ) -> None:
        if method == "setenv" and len(args) == 2:
            if keywords.get("prepend") is not None:
                self.skip(call, "prepend= is not replayed")
            else:
                self.set_env(position, Action.SET_ENV, args[0].value, args[1].value, call)
        elif method == "delenv" and args:
            self.unset_env(position, args[0].value, call)
        elif method == "syspath_prepend" and len(args) == 1:
            self.add_path(position, Action.INSERT_PATH, args[0].value, call, 0)

    # -- steps -------------------------------------------------------------------------

    def set_env(
        self,
        position: int,
        action: Action,
        key: cst.BaseExpression | None,
        value: cst.BaseExpression,
        node: cst.CSTNode,
    ) -> None:
        name = self.string(key)
        text = self.string(value)
        if name is None or text is None:
            self.skip(node, "the variable or its value is not a literal")
        else:
            self.steps.append(Step(position, self.line, action, name, text))

    def unset_env(self, position: int, key: cst.BaseExpression, node: cst.CSTNode) -> None:
        name = self.string(key)
        if name is None:
            self.skip(node, "the variable is not a literal")
        else:
            self.steps.append(Step(position, self.line, Action.UNSET_ENV, name))

    def add_path(
        self,
        position: int,
        action: Action,
        value: cst.BaseExpression,
        node: cst.CSTNode,
        at: int | None = 0,
    ) -> None:
        found = self.evaluate(value)
        if isinstance(found, PurePath):
            found = str(found)
        if not isinstance(found, str) or at is None:
            self.skip(node, "the path is not a literal or derived from __file__")
        else:
            self.steps.append(Step(position, self.line, action, posixpath.normpath(found), at=at))

    def skip(self, node: cst.CSTNode, reason: str) -> None:
        code = " ".join(_code(node).split())
        self.not_replayed.append(NotReplayed(self.line, code[:80], reason))

    # -- names and values --------------------------------------------------------------

    def qualified(self, node: cst.BaseExpression) -> str:
        dotted = _dotted(node)
        if not dotted:
            return ""
        head, _, rest = dotted.partition(".")
        base = self.aliases.get(head, "" if head in self.values else head)
        return f"{base}.{rest}" if base and rest else base

    def is_environ(self, node: cst.BaseExpression) -> bool:
        return self.qualified(node) == "os.environ"

    def is_monkeypatch(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.monkeypatches
        return isinstance(node, cst.Call) and self.qualified(node.func) in MONKEYPATCH

    def string(self, node: cst.BaseExpression | None) -> str | None:
        value = self.evaluate(node) if node is not None else None
        return value if isinstance(value, str) else None

    def evaluate(self, node: cst.BaseExpression) -> object | None:
        """The value of a literal expression (str, int, a path), None when it is anything else."""
        return _Evaluator(self).value(node)


class _Evaluator:
    """Literal strings and integers, ``__file__``, names bound to them, and path arithmetic."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader

    def value(self, node: cst.BaseExpression) -> object | None:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            found = node.evaluated_value
            return found if isinstance(found, str) else None
        if isinstance(node, cst.Integer):
            return int(node.evaluated_value)
        if isinstance(node, cst.Name):
            if node.value == "__file__":
                return self.reader.conftest
            return self.reader.values.get(node.value)
        if isinstance(node, cst.BinaryOperation):
            return self.binary(node)
        if isinstance(node, cst.Attribute):
            return self.attribute(node)
        if isinstance(node, cst.Subscript):
            return self.subscript(node)
        if isinstance(node, cst.Call):
            return self.call(node)
        return None

    def binary(self, node: cst.BinaryOperation) -> object | None:
        left, right = self.value(node.left), self.value(node.right)
        if isinstance(node.operator, cst.Divide) and isinstance(left, PurePath) and isinstance(right, (str, PurePath)):
            return left / right
        if isinstance(node.operator, cst.Add) and isinstance(left, str) and isinstance(right, str):
            return left + right
        return None

    def attribute(self, node: cst.Attribute) -> object | None:
        qualified = self.reader.qualified(node)
        if qualified in ("os.sep", "os.pathsep"):
            return os.sep if qualified == "os.sep" else os.pathsep
        owner = self.value(node.value)
        if isinstance(owner, PurePath) and node.attr.value == "parent":
            return owner.parent
        return None

    def subscript(self, node: cst.Subscript) -> object | None:
        if not (isinstance(node.value, cst.Attribute) and node.value.attr.value == "parents"):
            return None
        owner = self.value(node.value.value)
        index = self.value(node.slice[0].slice.value) if isinstance(node.slice[0].slice, cst.Index) else None
        if isinstance(owner, PurePath) and isinstance(index, int) and 0 <= index < len(owner.parents):
            return owner.parents[index]
        return None

    def call(self, node: cst.Call) -> object | None:
        if any(a.keyword is not None or a.star for a in node.args):
            return None
        args = [self.value(a.value) for a in node.args]
        if any(a is None for a in args):
            return None
        qualified = self.reader.qualified(node.func)
        if qualified in PATH_TYPES and args and all(isinstance(a, (str, PurePath)) for a in args):
            return PurePath(*(str(a) for a in args))
        if qualified in ("str", "os.fspath") and len(args) == 1 and isinstance(args[0], (str, PurePath, int)):
            return str(args[0])
        path = _os_path(qualified, args)
        if path is not None:
            return path
        if isinstance(node.func, cst.Attribute):
            owner = self.value(node.func.value)
            if isinstance(owner, PurePath):
                return _path_method(owner, node.func.attr.value, args)
        return None


def _os_path(qualified: str, args: list[object]) -> str | None:
    if not qualified.startswith("os.path.") or not all(isinstance(a, (str, PurePath)) for a in args):
        return None
    texts = [str(a) for a in args]
    function = qualified.rpartition(".")[2]
    if function == "join" and texts:
        return os.path.join(*texts)
    if len(texts) != 1:
        return None
    if function == "dirname":
        return os.path.dirname(texts[0])
    if function in ("abspath", "realpath", "normpath") and os.path.isabs(texts[0]):
        return os.path.normpath(texts[0])
    return None


def _path_method(owner: PurePath, method: str, args: list[object]) -> object | None:
    if method in ("resolve", "absolute") and not args and owner.is_absolute():
        return PurePath(os.path.normpath(owner))
    if method == "joinpath" and all(isinstance(a, (str, PurePath)) for a in args):
        return owner.joinpath(*(str(a) for a in args))
    if method == "as_posix" and not args:
        return owner.as_posix()
    return None


class _Mentions(cst.CSTVisitor):
    """Statements of the replayed forms inside a block (not in a function): reported as not replayed."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.nodes: list[cst.CSTNode] = []

    def found(self, block: cst.CSTNode) -> list[cst.CSTNode]:
        block.visit(self)
        return self.nodes

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> bool:
        if any(isinstance(t.target, cst.Subscript) and self.reader.is_environ(t.target.value) for t in node.targets):
            self.nodes.append(node)
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Attribute) and (
            (self.reader.is_environ(func.value) and func.attr.value in ("setdefault", "update", "pop"))
            or (self.reader.qualified(func.value) == "sys.path" and func.attr.value in ("insert", "append", "extend"))
            or func.attr.value in ("setenv", "delenv", "syspath_prepend")
        ):
            self.nodes.append(node)
        return True


# -- small pure helpers ----------------------------------------------------------------


def _first_imports(statements: Sequence[cst.BaseStatement], package: str | None) -> dict[str, int]:
    """The first top-level statement that imports each module while the conftest runs."""
    found: dict[str, int] = {}
    for position, statement in enumerate(statements):
        for imported in _ImportsNow.of(statement):
            module = resolve_module(imported, package)
            if module is not None:
                found.setdefault(module, position)
    return found


class _ImportsNow(cst.CSTVisitor):
    """The imports a statement runs while the module is imported: not in functions, not for type checking."""

    def __init__(self) -> None:
        self.found: list[ImportedModule] = []

    @classmethod
    def of(cls, statement: cst.BaseStatement) -> list[ImportedModule]:
        visitor = cls()
        statement.visit(visitor)
        return visitor.found

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_If(self, node: cst.If) -> bool:
        if _dotted(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            if node.orelse is not None:
                node.orelse.visit(self)
            return False
        return True

    def visit_Import(self, node: cst.Import) -> bool:
        self.found += [ImportedModule(_dotted(a.name)) for a in node.names]
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = _dotted(node.module) if node.module is not None else ""
        if module != "__future__":
            self.found.append(ImportedModule(module, len(node.relative)))
        return False


def _unread_names(statements: Sequence[cst.BaseStatement], source: str) -> frozenset[str]:
    """Names that top-level imports bind and that nothing else in the module mentions (side-effect imports).

    Counting words of the source (comments and strings included) is far cheaper than a
    traversal of every node and errs the safe way: a name mentioned anywhere is read.
    """
    bound: set[str] = set()
    imports: list[cst.SimpleStatementLine] = []
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import):
                    bound |= {_alias_name(a) or _dotted(a.name).split(".")[0] for a in small.names}
                    imports.append(statement)
                elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    bound |= {_alias_name(a) or _dotted(a.name) for a in small.names}
                    imports.append(statement)
    if not bound:
        return frozenset()
    everywhere = Counter(WORD.findall(source))
    in_imports = Counter(w for s in dict.fromkeys(imports) for w in WORD.findall(_code(s)))
    return frozenset(n for n in bound if everywhere[n] <= in_imports[n])


class _Names(cst.CSTVisitor):
    """Every name a module mentions outside import statements (and ``__all__`` strings)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and value.isidentifier():
            self.names.add(value)  # __all__ = ["x"], getattr(module, "x")


def _bound_by(statement: cst.BaseStatement) -> set[str]:
    """Names a compound statement may bind (a ``def``, a ``class``, targets inside blocks)."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return {statement.name.value}
    names = _Names()
    statement.visit(names)
    return names.names


def _target_names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in _target_names(e.value)}
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def _subscript_key(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def _alias_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
