"""The domain: what a conftest is made of, as frozen dataclasses and closed enums.

``parse`` produces a :class:`ConftestModel`; every later stage reads it and
never mutates it (``dataclasses.replace`` makes changed copies).
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import libcst as cst


class Kind(str, enum.Enum):
    """What one top-level statement of a conftest is (DESIGN.md, parse)."""

    FIXTURE = "fixture"
    HOOK = "hook"
    PYTEST_PLUGINS = "pytest_plugins"
    HELPER_FUNCTION = "helper_function"
    HELPER_CLASS = "helper_class"
    CONSTANT = "constant"
    IMPORT = "import"
    SIDE_EFFECT = "side_effect"
    CONDITIONAL = "conditional"
    DOCSTRING = "docstring"
    UNMOVABLE = "unmovable"


class Scope(str, enum.Enum):
    """Fixture scopes, narrowest first; ``DYNAMIC`` is a callable ``scope=``."""

    FUNCTION = "function"
    CLASS = "class"
    MODULE = "module"
    PACKAGE = "package"
    SESSION = "session"
    DYNAMIC = "dynamic"

    @classmethod
    def from_user(cls, value: str) -> Scope:
        """The scope named by a literal ``scope="..."`` argument."""
        return cls(value)


class FixtureKind(str, enum.Enum):
    """How a fixture function produces its value; the lazy stub must keep it."""

    PLAIN = "plain"
    GENERATOR = "generator"
    ASYNC = "async"
    ASYNC_GENERATOR = "async_generator"


class Impact(enum.IntEnum):
    """Memory impact of a fixture's closure (DESIGN.md thresholds, in MB)."""

    MINIMAL = 0  # < 1 MB
    LOW = 1  # 1–5 MB
    MEDIUM = 2  # 5–25 MB
    HIGH = 3  # 25–75 MB
    VERY_HIGH = 4  # >= 75 MB

    @classmethod
    def from_mb(
        cls, megabytes: float, thresholds: tuple[float, ...] = (1, 5, 25, 75)
    ) -> Impact:
        """The impact level of a measured cost, given the lower bounds of LOW…VERY_HIGH."""
        level = sum(1 for bound in thresholds if megabytes >= bound)
        return cls(level)


@dataclass(frozen=True)
class Span:
    """Where a definition sits in the source: 1-based lines, inclusive."""

    start_line: int
    end_line: int


class FixtureBinding(str, enum.Enum):
    """How the fixture object ends up bound to a module attribute."""

    DECORATOR = "decorator"  # @pytest.fixture / @pytest.fixture(...) on a def
    CALL = "call"  # name = pytest.fixture(fn) or name = pytest.fixture(...)(fn)
    # name = make_fixture(...): a helper that returns a decorated inner def
    FACTORY = "factory"
    ALIAS = "alias"  # other = some_fixture: the same fixture under a second attribute
    IMPORTED = "imported"  # from plugin import some_fixture: registered from this module too


@dataclass(frozen=True)
class Fixture:
    """Everything pytest registers for one fixture definition."""

    name: str  # the name pytest registers (``name=`` wins over the attribute name)
    function_name: str
    scope: Scope
    scope_source: (
        str  # the scope argument as written, e.g. '"session"' or 'determine_scope'
    )
    params_source: str | None  # ``params=`` as written, None when absent
    ids_source: str | None
    autouse: bool
    kind: FixtureKind
    argnames: tuple[
        str, ...
    ]  # what pytest requests: no ``self``, no defaulted or * args
    decorator_form: (
        str  # e.g. "pytest.fixture", "fixture", "pt.fixture", "pytest_asyncio.fixture"
    )
    docstring: str | None
    binding: FixtureBinding = FixtureBinding.DECORATOR
    provider: str = "pytest.fixture"  # the qualified name of the decorator
    span: Span = field(default_factory=lambda: Span(0, 0))  # of the function body's def
    defaulted_args: tuple[
        str, ...
    ] = ()  # arguments pytest ignores because they have defaults
    requests: tuple[
        str, ...
    ] = ()  # literal getfixturevalue("x") / usefixtures("x") in its def
    dynamic_requests: tuple[str, ...] = ()  # non-literal getfixturevalue(...) arguments
    factory: str | None = None  # the helper that built it, for FACTORY bindings
    # decorators between the fixture decorator and the ``def`` (``@mock.patch(...)``):
    # they change the signature pytest sees, so no stub may repeat it
    inner_decorators: tuple[str, ...] = ()
    # False when pytest computes the signature from something not visible here (a
    # decorator that replaces the function, a fixture function passed in from elsewhere)
    signature_known: bool = True


@dataclass(frozen=True)
class ImportedModule:
    """A module some statement imports (``level`` > 0 for relative imports)."""

    name: str  # as written after ``from``/``import``, without the leading dots
    level: int = 0
    runtime: bool = True  # False under ``if TYPE_CHECKING:``
    deferred: bool = (
        False  # inside a function body: imported when it runs, not at import
    )
    names: tuple[str, ...] = ()  # ``from X import a, b``: a and b (each may be a submodule of X)


@dataclass(frozen=True)
class StarImport:
    """``from module import *`` of one of the project's own modules, read statically.

    ``names`` is what the import binds (the module's literal ``__all__``, else its
    public names). ``blocker`` says why its fixtures cannot be registered through lazy
    stubs (an autouse fixture, a hook, a computed ``params=``…); None when they can.
    ``functions`` are the ``def``s of the fixtures it binds, by the name it binds them
    under, for the stubs' signatures. ``imports`` are the modules the star-imported
    module itself imports at run time (absolute): what loading it costs.
    """

    module: str
    names: tuple[str, ...]
    blocker: str | None
    imports: tuple[str, ...] = ()
    runs_code: bool = False  # the module runs statements at import besides binding names
    module_names: frozenset[str] = frozenset()  # names it binds last by a plain ``import X``
    functions: tuple[tuple[str, cst.FunctionDef], ...] = field(default=(), compare=False, repr=False)

    def function(self, local: str) -> cst.FunctionDef | None:
        """The ``def`` of the fixture the import binds to ``local``."""
        return next((f for name, f in self.functions if name == local), None)


@dataclass(frozen=True)
class Definition:
    """One top-level statement of the conftest, classified.

    ``names`` are the module-level names it binds; ``source`` is the exact
    statement text (leading comments included) so render can copy it verbatim.
    ``uses`` are the module-level names it reads at run time and
    ``annotation_uses`` those it only mentions in annotations. ``tree`` is the
    statement's libcst tree (a module holding it alone, with the conftest's
    indentation and newlines: its ``code`` is ``source``), for plan and render
    to inspect and transform without parsing it again.
    """

    index: int  # position among the module's top-level statements
    kind: Kind
    names: tuple[str, ...]
    source: str
    span: Span
    fixtures: tuple[
        Fixture, ...
    ] = ()  # one for FIXTURE; those a CONDITIONAL/UNMOVABLE defines
    reason: str | None = (
        None  # why it is UNMOVABLE, or a note on CONDITIONAL/SIDE_EFFECT
    )
    uses: tuple[str, ...] = ()
    annotation_uses: tuple[str, ...] = ()
    unresolved: tuple[
        str, ...
    ] = ()  # names read that nothing visible binds (star import, exec…)
    requests: tuple[str, ...] = ()  # literal fixture requests anywhere in the statement
    dynamic_requests: tuple[str, ...] = ()
    imports: tuple[ImportedModule, ...] = ()
    calls: tuple[str, ...] = ()  # qualified names of what it calls, e.g. "redis.Redis"
    reads: frozenset[str] = frozenset()  # names and dotted paths read: "os", "os.path"
    tree: cst.Module = field(kw_only=True, compare=False, repr=False)
    star: StarImport | None = field(default=None, kw_only=True)  # a star import splitter could read

    @property
    def statement(self) -> cst.BaseStatement:
        """The statement itself (``tree``'s one statement)."""
        return self.tree.body[0]

    @property
    def fixture(self) -> Fixture | None:
        """The fixture of a FIXTURE definition."""
        return self.fixtures[0] if self.kind is Kind.FIXTURE and self.fixtures else None


@dataclass(frozen=True)
class ConftestModel:
    """A parsed conftest: its definitions in source order."""

    path: str
    source: str
    definitions: tuple[Definition, ...]
    warnings: tuple[str, ...] = field(default=())
    header: str = ""  # comments before the first statement (a coding line, a licence), as written

    @property
    def fixtures(self) -> tuple[Fixture, ...]:
        """Every fixture the conftest registers, in source order."""
        return tuple(f for d in self.definitions for f in d.fixtures)

    def owner(self, fixture_name: str) -> Definition:
        """The definition that registers ``fixture_name`` (the last one wins, as in pytest)."""
        owners = [
            d
            for d in self.definitions
            if any(f.name == fixture_name for f in d.fixtures)
        ]
        if not owners:
            raise KeyError(fixture_name)
        return owners[-1]


# --- analyze: the fixture graph -------------------------------------------------------


@dataclass(frozen=True)
class DynamicRequest:
    """A ``getfixturevalue(...)`` whose argument is not a literal string."""

    definition: int  # index of the definition that makes it
    user: str  # the fixture or definition name that makes it
    expression: str  # the argument as written


@dataclass(frozen=True)
class FixtureNode:
    """One fixture of the conftest with what it needs."""

    name: str
    definition: int  # index of the definition that registers it
    depends_on: tuple[
        str, ...
    ]  # fixtures requested directly (own def and helpers it uses)
    closure: tuple[str, ...]  # every fixture reachable, local and external, sorted
    definitions: tuple[
        int, ...
    ]  # every definition it needs (its own, helpers, imports…)
    externals: tuple[str, ...]  # fixtures in its closure the conftest does not define
    dynamic: tuple[
        str, ...
    ] = ()  # non-literal getfixturevalue arguments in its closure


@dataclass(frozen=True)
class ExternalFixture:
    """A fixture requested here but defined elsewhere (builtin, plugin, other conftest)."""

    name: str
    requested_by: tuple[str, ...]
    overridden: bool = (
        False  # a local fixture of the same name requests it (override chain)
    )


@dataclass(frozen=True)
class FixtureGraph:
    """The conftest's fixture dependency graph."""

    nodes: tuple[FixtureNode, ...]  # source order
    order: tuple[
        str, ...
    ]  # topological: dependencies first; cycle members in source order
    cycles: tuple[tuple[str, ...], ...]  # each a path that returns to its start
    externals: tuple[ExternalFixture, ...]
    dynamic: tuple[DynamicRequest, ...]

    def node(self, name: str) -> FixtureNode:
        """The node of fixture ``name``."""
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    def users(self, name: str) -> tuple[str, ...]:
        """Local fixtures that request ``name`` directly."""
        return tuple(n.name for n in self.nodes if name in n.depends_on)


# --- analyze: impact -------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleCost:
    """The measured cost of importing one module in a clean interpreter."""

    module: str
    megabytes: float | None  # RSS delta; None when it could not be measured
    seconds: float | None  # wall time of the import
    loads: tuple[str, ...] = ()  # top-level packages the import brought in
    error: str | None = None
    cached: bool = False


@dataclass(frozen=True)
class ImpactRating:
    """How heavy one fixture is: measured import cost and static signals."""

    fixture: str
    level: Impact  # the level to plan with
    static_level: Impact  # from signals alone
    measured_mb: (
        float | None
    )  # union cost of the modules its closure imports; None unmeasured
    modules: tuple[str, ...]  # the runtime modules its closure imports
    signals: tuple[str, ...]  # the static signals that set ``static_level``


@dataclass(frozen=True)
class Chain:
    """A dependency chain of local fixtures, heaviest first."""

    fixtures: tuple[str, ...]
    level: Impact
    megabytes: float | None


# --- analyze: the process state imports are measured in -------------------------------

AFTER_THE_CONFTEST = sys.maxsize  # the position of what runs after the conftest (pytest_configure, tests)


class Action(str, enum.Enum):
    """What one replayed statement does to the process."""

    SET_ENV = "set_env"
    DEFAULT_ENV = "default_env"  # os.environ.setdefault: only when the variable is not set yet
    UNSET_ENV = "unset_env"
    INSERT_PATH = "insert_path"  # sys.path.insert(at, path)
    APPEND_PATH = "append_path"
    IMPORT = "import"  # a side-effect import of one of the project's modules


@dataclass(frozen=True)
class Step:
    """One statement's effect, replayed before the imports that come after it."""

    position: int  # the top-level statement it belongs to (AFTER_THE_CONFTEST for pytest_configure)
    line: int
    action: Action
    name: str  # the variable, the sys.path entry or the module
    value: str | None = None  # the variable's value
    at: int = 0  # where INSERT_PATH inserts

    def describe(self) -> str:
        """The step as a person reads it: ``DATABASE_URL=sqlite://``, ``sys.path += src``."""
        if self.action is Action.SET_ENV:
            return f"{self.name}={self.value}"
        if self.action is Action.DEFAULT_ENV:
            return f"{self.name}={self.value} (if unset)"
        if self.action is Action.UNSET_ENV:
            return f"unset {self.name}"
        if self.action is Action.IMPORT:
            return f"import {self.name}"
        return f"sys.path: {self.name}"


@dataclass(frozen=True)
class NotReplayed:
    """A statement that changes the environment or ``sys.path`` in a way splitter does not replay."""

    line: int
    code: str
    reason: str


@dataclass(frozen=True)
class Prelude:
    """What a conftest does to the process before each of its imports.

    ``first_imports`` maps a module to the first top-level statement that imports
    it while the conftest runs; a module it does not import then (a fixture's
    import, a test's) comes after the whole conftest.
    """

    steps: tuple[Step, ...] = ()
    not_replayed: tuple[NotReplayed, ...] = ()
    first_imports: tuple[tuple[str, int], ...] = ()

    def before(self, module: str) -> tuple[Step, ...]:
        """The steps that run before ``module`` is first imported (without importing itself first)."""
        position = dict(self.first_imports).get(module)
        return tuple(
            s
            for s in self.steps
            if (position is None or s.position < position) and not (s.action is Action.IMPORT and s.name == module)
        )

    def keeping_imports(self, keep: Callable[[str], bool]) -> Prelude:
        """The same prelude with only the side-effect imports ``keep`` accepts (the project's own)."""
        steps = tuple(s for s in self.steps if s.action is not Action.IMPORT or keep(s.name))
        return replace(self, steps=steps)

    @property
    def paths(self) -> tuple[str, ...]:
        """The ``sys.path`` entries the conftest adds."""
        return tuple(s.name for s in self.steps if s.action in (Action.INSERT_PATH, Action.APPEND_PATH))


@dataclass(frozen=True)
class Subset:
    """The tests a split is judged on (the unit folder beside the conftest, else its folder).

    Modules are absolute names; the conftest module itself is left out (it is
    loaded anyway), and so are the imports of the analysed conftest.
    """

    path: str  # as shown, relative to the rootdir: "tests/unit"
    files: int  # test modules and conftests read
    collected: tuple[str, ...]  # imported at module level: paid while collecting
    deferred: tuple[str, ...]  # imported inside functions: paid when tests run
    requested: tuple[str, ...]  # fixture names the tests and their fixtures request
    costs: tuple[ModuleCost, ...] = ()  # measured costs of the modules above
    test_modules: tuple[TestModuleUsage, ...] = ()  # per test module (not conftests), for the light file


@dataclass(frozen=True)
class TestModuleUsage:
    """What one test module of the subset imports at module level and requests."""

    path: str  # relative to the rootdir, forward slashes
    collected: tuple[str, ...]
    requested: tuple[str, ...]


@dataclass(frozen=True)
class SavingEstimate:
    """What a split can save on a subset: the imports the conftest alone brings in.

    Figures are import costs over a bare ``import pytest`` process, overlaps
    counted once (:func:`splitter.analyze.impact.union_megabytes`).
    """

    subset: str
    conftest_mb: float  # the conftest's own module-level imports
    collection_mb: float  # imports while collecting the subset, as it is
    collection_saving_mb: float  # of which only the conftest's split-off part needs
    run_mb: float  # imports when the subset runs, as it is
    run_saving_mb: float  # of which neither the tests nor their fixtures need
    worth_it: bool
    light_file: LightFile | None = None  # a test file that needs no heavy fixture
    deferred: tuple[ModuleCost, ...] = ()  # the conftest's heavy imports a split no longer loads while collecting
    unmeasured: tuple[str, ...] = ()  # modules that could not be measured: the figures are lower bounds

    @property
    def lower_bound(self) -> bool:
        """Whether a module could not be measured, so the real figures may be higher."""
        return bool(self.unmeasured)


@dataclass(frozen=True)
class CollectionFloor:
    """A bare pytest collecting one empty test file with the project's configuration, no conftest."""

    megabytes: float  # peak RSS of the process
    seconds: float  # its CPU time (user + system)
    loaded: tuple[str, ...] = ()  # top-level modules it had loaded (pytest, its plugins): free for a conftest
    cached: bool = False


@dataclass(frozen=True)
class LightFile:
    """Collecting a test file that imports nothing heavy and needs no heavy fixture, before and after a split.

    ``*_mb`` are peak RSS estimates: the floor plus the imports collecting still runs;
    ``*_seconds`` the floor's CPU time plus those imports' (None where not measured).
    ``measured``: both sides measured in one pytest process each instead
    (:func:`splitter.analyze.floor.measured_light_file`).
    """

    floor_mb: float | None  # None when the floor could not be measured: figures are then over bare pytest
    before_mb: float
    after_mb: float
    before_seconds: float | None = None
    after_seconds: float | None = None
    measured: bool = False

    @property
    def saving_mb(self) -> float:
        return round(self.before_mb - self.after_mb, 1)


@dataclass(frozen=True)
class Analysis:
    """Everything ``splitter analyze`` knows about a conftest."""

    model: ConftestModel
    graph: FixtureGraph
    ratings: tuple[ImpactRating, ...]  # one per graph node, same order
    modules: tuple[
        ModuleCost, ...
    ]  # measured modules, sorted by name; empty unmeasured
    chains: tuple[Chain, ...]
    measured: bool
    package: str | None = None  # the conftest's package, for its relative imports
    subset: Subset | None = None  # None unmeasured or without tests to read
    prelude: Prelude | None = None  # what was replayed before measuring imports; None unmeasured
    floor: CollectionFloor | None = None  # bare pytest collecting, for the per-file estimate

    def rating(self, fixture_name: str) -> ImpactRating:
        """The impact rating of ``fixture_name``."""
        for rating in self.ratings:
            if rating.fixture == fixture_name:
                return rating
        raise KeyError(fixture_name)
