"""Which module-level values of a conftest its source fixes (stdlib only, Python 3.8+).

Part of splitter's snapshot plugin (``splitter_snapshot_plugin.py``, beside it). The
namespace check compares plain data by value, but ``STARTED = time.time()`` or
``RUN_ID = uuid.uuid4().hex`` differ on every run of the very same tree, and
``HERE = os.path.dirname(__file__)`` differs when verify rebuilds the legacy tree in
a temporary copy. So a value is compared by value only when the module's source
*fixes* it; every other one is compared by its kind.

A name is fixed when every statement that binds or changes it at module level is
built from literals, ``__name__`` and names already fixed, with operators,
containers, comprehensions, f-strings, subscripts and pure builtins (``len``,
``sorted``, ``tuple``…); runs unconditionally or under a test that is itself fixed;
and nothing changes it at run time. So these make it run-dependent:
- any other call (``time.time()``, ``helper()``), attribute read (``sys.platform``,
  ``settings.RUN_ID``) or ``__file__``; an ``import``, unless it imports a name a
  module of the project (under the rootdir) fixes;
- a binding in a ``try``/``with`` block, a ``for`` over something not fixed, or an
  ``if``/``while`` whose test is not fixed;
- being passed to a call, or mutated by a statement that is not fixed
  (``STATS["t"] = time.time()``, ``IDS.append(uuid4())``);
- a function that rebinds it (``global X``) or mutates it (``SEEN.append(…)``), which
  may run before the namespace is read (``pytest_configure``);
- ``globals()``, ``vars()`` or ``exec`` anywhere in the module, or
  ``setattr(sys.modules[__name__], …)``: then nothing is fixed.
A name the source never binds (a star import brings it) is not fixed either, and a star
import unfixes every name bound before it (it may rebind any).
"""

from __future__ import annotations

import ast
import os
import sys
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Set

PURE_BUILTINS = frozenset(
    {
        "abs", "all", "any", "bool", "bytes", "chr", "complex", "dict", "divmod", "enumerate",
        "float", "format", "frozenset", "hex", "int", "len", "list", "max", "min", "oct", "ord",
        "pow", "range", "repr", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
    }
)  # fmt: skip
DYNAMIC_NAMESPACE = frozenset({"globals", "vars", "exec", "eval"})
FIXED_DUNDERS = frozenset({"__name__"})  # the module's own name: the same on every run

# module name -> the file that defines it, for ``from M import X`` of a project module
Locate = Callable[[str], Optional[str]]


class FixedValues:
    """The fixed names of the project's modules, each file read once."""

    def __init__(self, rootdir: str, locate: Locate) -> None:
        self.rootdir = os.path.realpath(rootdir) + os.sep
        self.locate = locate
        self.known: Dict[str, FrozenSet[str]] = {}

    def of_file(self, path: str, package: str) -> FrozenSet[str]:
        """The names the module in ``path`` (whose ``__package__`` is ``package``) fixes."""
        real = os.path.realpath(path)
        if real in self.known:
            return self.known[real]
        self.known[real] = frozenset()  # an import cycle finds nothing fixed
        try:
            with open(real, "rb") as handle:
                tree = ast.parse(handle.read())
        except (OSError, SyntaxError, ValueError):
            return frozenset()
        fixed = frozenset(_Reader(self, package).module(tree))
        self.known[real] = fixed
        return fixed

    def imported_is_fixed(self, module: str, name: str) -> bool:
        """Whether ``from module import name`` binds a value a project module fixes."""
        path = self.locate(module)
        if path is None or not os.path.realpath(path).startswith(self.rootdir):
            return False
        package = module if os.path.basename(path) == "__init__.py" else module.rpartition(".")[0]
        return name in self.of_file(path, package)


def locate_loaded(module: str) -> Optional[str]:
    """The source file of a module this process imported (the run under test)."""
    found = sys.modules.get(module)
    path = getattr(found, "__file__", None)
    return path if isinstance(path, str) and path.endswith(".py") else None


class _Reader:
    """Reads one module's statements in order, tracking which names are fixed."""

    def __init__(self, values: FixedValues, package: str) -> None:
        self.values = values
        self.package = package
        self.fixed: Set[str] = set()
        self.tainted: Set[str] = set()  # run-dependent for good (a conditional or run-time change)
        self.shadowed: Set[str] = set()  # names the module binds: a builtin it rebinds is not pure

    def module(self, tree: ast.Module) -> Set[str]:
        if _writes_namespace(tree):
            return set()
        self.shadowed = _bound_names(tree.body)
        self.tainted |= _changed_at_run_time(tree)
        self.block(tree.body, certain=True)
        return self.fixed - self.tainted

    def block(self, body: Iterable[ast.stmt], certain: bool) -> None:
        for statement in body:
            self.statement(statement, certain)

    def statement(self, node: ast.stmt, certain: bool) -> None:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assignment(node, certain)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self.imports(node, certain)
        elif isinstance(node, ast.Expr):
            self.expression_statement(node.value, certain)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self.store(target, True, certain)
        elif isinstance(node, (ast.If, ast.While)):
            self.taint_arguments(node.test)
            steady = certain and self.is_fixed(node.test)
            self.block(node.body, steady)
            self.block(node.orelse, steady)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.taint_arguments(node.iter)
            steady = certain and self.is_fixed(node.iter)
            self.store(node.target, steady, certain)
            self.block(node.body, steady)
            self.block(node.orelse, steady)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bind(node.name, False, certain)  # a decorator's arguments (params=PARAMS) are not changed
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.taint_arguments(item.context_expr)
                if item.optional_vars is not None:
                    self.store(item.optional_vars, False, False)
            self.block(node.body, False)  # a context manager may end it early (suppress)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.block(getattr(node, "body", []), False)
            for handler in getattr(node, "handlers", []):
                if handler.name:
                    self.bind(handler.name, False, False)
                self.block(handler.body, False)
            self.block(getattr(node, "orelse", []), False)
            self.block(getattr(node, "finalbody", []), False)
        else:  # match, anything newer: every name it mentions may change
            for child in ast.walk(node):
                if isinstance(child, ast.Name):
                    self.bind(child.id, False, False)
                elif isinstance(child, ast.expr):
                    self.taint_arguments(child)

    def assignment(self, node: ast.stmt, certain: bool) -> None:
        value = getattr(node, "value", None)
        if value is None:  # ``X: int`` binds nothing
            return
        self.taint_arguments(value)
        fixed = self.is_fixed(value)
        if isinstance(node, ast.AugAssign):
            self.store(node.target, fixed and self.is_fixed(node.target), certain)
            return
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target")]
        for target in targets:
            self.store(target, fixed, certain)

    def store(self, target: ast.expr, fixed: bool, certain: bool) -> None:
        """Bind (a name, unpacking) or change (``X[k] = …``, ``X.a = …``) what ``target`` names."""
        if isinstance(target, ast.Name):
            self.bind(target.id, fixed, certain)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.store(element, fixed, certain)
        elif isinstance(target, ast.Starred):
            self.store(target.value, fixed, certain)
        else:
            root = _root_name(target)
            steady = fixed and all(self.is_fixed(e) for e in _parts(target))
            if root is not None and not (steady and certain):
                self.tainted.add(root)

    def bind(self, name: str, fixed: bool, certain: bool) -> None:
        if fixed and certain:
            self.fixed.add(name)
        else:
            self.fixed.discard(name)
            if not certain:
                self.tainted.add(name)

    def imports(self, node: ast.stmt, certain: bool) -> None:
        for alias in getattr(node, "names", []):
            if alias.name == "*":  # it may rebind any name, and what it binds is not in this source
                self.fixed.clear()
                continue
            local = alias.asname or alias.name.partition(".")[0]
            fixed = False
            if isinstance(node, ast.ImportFrom):
                module = _absolute(node.module, node.level, self.package)
                fixed = module is not None and self.values.imported_is_fixed(module, alias.name)
            self.bind(local, fixed, certain)

    def expression_statement(self, value: ast.expr, certain: bool) -> None:
        """``X.append(1)`` changes ``X`` as the source fixes it; any other call may change
        whatever it reaches (its receiver, its arguments) in a way the source does not fix."""
        self.taint_arguments(value)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            root = _root_name(value.func.value)
            arguments = [*value.args, *(k.value for k in value.keywords)]
            steady = certain and all(self.is_fixed(a) for a in arguments)
            if root is not None and not steady:
                self.tainted.add(root)

    def taint_arguments(self, node: ast.expr) -> None:
        """Names handed to a call that is not a pure builtin: the callee may change them."""
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            if self.is_pure(call.func):
                continue
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                self.tainted.update(n.id for n in ast.walk(argument) if isinstance(n, ast.Name))

    def is_pure(self, func: ast.expr) -> bool:
        return isinstance(func, ast.Name) and func.id in PURE_BUILTINS and func.id not in self.shadowed

    def is_fixed(self, node: ast.expr, local: FrozenSet[str] = frozenset()) -> bool:
        """Whether the expression's value is fixed by the source (``local``: comprehension targets)."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id in local or node.id in FIXED_DUNDERS or (node.id in self.fixed and node.id not in self.tainted)
        if isinstance(node, ast.Call):
            arguments = [*node.args, *(k.value for k in node.keywords)]
            return self.is_pure(node.func) and all(self.is_fixed(a, local) for a in arguments)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return self.comprehension_is_fixed(node, local)
        if isinstance(node, (ast.Attribute, ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)):
            return False
        return all(self.is_fixed(child, local) for child in _expression_children(node))

    def comprehension_is_fixed(self, node: ast.expr, local: FrozenSet[str]) -> bool:
        for generator in getattr(node, "generators", []):
            if not self.is_fixed(generator.iter, local):
                return False
            local = local | {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            if not all(self.is_fixed(test, local) for test in generator.ifs):
                return False
        results = [getattr(node, field) for field in ("elt", "key", "value") if hasattr(node, field)]
        return all(self.is_fixed(result, local) for result in results)


def _expression_children(node: ast.expr) -> List[ast.expr]:
    """The sub-expressions an operator, container, f-string or subscript is built from."""
    return [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)]


def _parts(target: ast.expr) -> List[ast.expr]:
    """The keys and slices a subscript or attribute target goes through (``X[k].a`` -> ``k``)."""
    parts: List[ast.expr] = []
    while isinstance(target, (ast.Subscript, ast.Attribute, ast.Call)):
        if isinstance(target, ast.Subscript):
            parts.append(target.slice)
            target = target.value
        elif isinstance(target, ast.Attribute):
            target = target.value
        else:
            parts.extend([*target.args, *(k.value for k in target.keywords)])
            target = target.func
    return parts


def _root_name(node: ast.expr) -> Optional[str]:
    """The module name an attribute/subscript/call chain starts from (``X[k].append`` -> ``X``)."""
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _bound_names(body: Iterable[ast.stmt]) -> Set[str]:
    """Every name the statements bind at module level (not inside functions or classes)."""
    names: Set[str] = set()
    stack: List[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name.partition(".")[0]) for a in node.names if a.name != "*")
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _writes_namespace(tree: ast.Module) -> bool:
    """``globals()``, ``vars()``, ``exec``, ``eval``, ``setattr(sys.modules[__name__], …)`` or
    ``sys.modules[__name__].X = …``: names can change in ways the statements do not show."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id in DYNAMIC_NAMESPACE:
            return True
        if node.func.id in ("setattr", "delattr") and node.args and _mentions_own_name(node.args[0]):
            return True
    stores = (n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.ctx, (ast.Store, ast.Del)))
    return any(_mentions_own_name(n.value) for n in stores)  # sys.modules[__name__].X = …


def _mentions_own_name(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "__name__" for n in ast.walk(node))


def _changed_at_run_time(tree: ast.Module) -> Set[str]:
    """Module names a function rebinds (``global X``) or changes (``X.append(…)``, ``X[k] = …``,
    ``X.a = …``, ``del X[k]``) when it runs, as a hook may before the namespace is read; and
    those a class body changes."""
    changed: Set[str] = set()
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    for scope in (n for n in ast.walk(tree) if isinstance(n, scopes)):
        own = list(_own_nodes(scope))
        declared = {name for n in own if isinstance(n, ast.Global) for name in n.names}
        changed |= declared
        local = _local_names(scope, own) - declared
        for node in own:
            for target in _changed_targets(node):
                root = None if isinstance(target, ast.Name) else _root_name(target)
                if root is not None and root not in local:
                    changed.add(root)
    return changed


def _changed_targets(node: ast.AST) -> List[ast.expr]:
    """What a statement assigns, deletes or calls a method of."""
    if isinstance(node, (ast.Assign, ast.Delete)):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute):
        return [node.value.func]
    return []


def _own_nodes(scope: ast.AST) -> Iterable[ast.AST]:
    """The nodes of a function or class body, not those of the scopes nested in it."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    body = getattr(scope, "body", [])
    stack: List[ast.AST] = list(body) if isinstance(body, list) else [body]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, nested):
            stack.extend(ast.iter_child_nodes(node))


def _local_names(scope: ast.AST, own: Iterable[ast.AST]) -> Set[str]:
    """The names a function binds for itself (its parameters and what it assigns), or a class body."""
    names: Set[str] = set()
    arguments = getattr(scope, "args", None)
    if isinstance(arguments, ast.arguments):
        every = [*getattr(arguments, "posonlyargs", []), *arguments.args, *arguments.kwonlyargs]
        names.update(a.arg for a in every)
        names.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
    for node in own:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name.partition(".")[0]) for a in node.names)
    return names


def _absolute(module: Optional[str], level: int, package: str) -> Optional[str]:
    """The absolute name of ``from <level dots><module> import …`` in ``package``."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base) or None
