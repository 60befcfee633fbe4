"""Edits a user makes to a split monolith after the migration, for the sync/join end-to-end tests.

Each edit changes the split modules (never the generated loader) and adds a test
file that uses what it changed, so a plain pytest run shows whether the loader
follows. ``stale`` is what ``splitter sync --check`` must name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edit:
    """One hand edit of the split modules of ``fixtures_corpus/monolith``."""

    name: str
    apply: Callable[[Path], None]  # the tests/ directory of a migrated copy
    test: str  # the test file that uses the edited fixture
    stale: str  # what ``sync --check`` names


def append(module: str, code: str) -> Callable[[Path], None]:
    """Add ``code`` at the end of a split module."""

    def apply(tests: Path) -> None:
        path = tests / f"{module}.py"
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code.strip() + "\n", encoding="utf-8")

    return apply


def replace(module: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace ``old`` (which must be there once) by ``new`` in a split module."""

    def apply(tests: Path) -> None:
        path = tests / f"{module}.py"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (module, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    return apply


def move(function: str, source: str, target: str, imports: str = "") -> Callable[[Path], None]:
    """Cut the decorated ``function`` out of ``source`` and append it (and ``imports``) to ``target``."""

    def apply(tests: Path) -> None:
        path = tests / f"{source}.py"
        text = path.read_text(encoding="utf-8")
        start = text.rindex("\n@", 0, text.index(f"\ndef {function}(")) + 1
        end = text.find("\n\n\n", start)
        end = len(text) if end == -1 else end
        path.write_text(text[:start] + text[end + 3 :], encoding="utf-8")
        append(target, imports + "\n\n" + text[start:end])(tests)

    return apply


def delete(function: str, module: str) -> Callable[[Path], None]:
    """Delete the decorated ``function`` from ``module``."""

    def apply(tests: Path) -> None:
        path = tests / f"{module}.py"
        text = path.read_text(encoding="utf-8")
        start = text.rindex("\n@", 0, text.index(f"\ndef {function}(")) + 1
        end = text.find("\n\n\n", start)
        path.write_text(text[:start] + text[end + 3 :], encoding="utf-8")

    return apply


EDITS = (
    Edit(
        "eager_added",
        append("conftest_base", "@pytest.fixture\ndef added_cheap():\n    return 1"),
        "def test_it(added_cheap):\n    assert added_cheap == 1\n",
        "fixture 'added_cheap' in conftest_base.py is not registered",
    ),
    Edit(
        "lazy_added",
        append("conftest_services", "@pytest.fixture\ndef added_service(db_engine):\n    return db_engine"),
        "def test_it(added_service):\n    assert added_service is not None\n",
        "fixture 'added_service' in conftest_services.py is not registered",
    ),
    Edit(
        "async_added",
        append("conftest_e2e", "@pytest_asyncio.fixture\nasync def added_async():\n    return 3"),
        "async def test_it(added_async):\n    assert added_async == 3\n",
        "fixture 'added_async' in conftest_e2e.py is not registered",
    ),
    Edit(
        "parametrized_added",
        append(
            "conftest_services",
            '@pytest.fixture(params=[1, 2], ids=["one", "two"])\ndef added_params(request):\n    return request.param',
        ),
        "def test_it(request, added_params):\n    assert request.node.callspec.id in ('one', 'two')\n",
        "fixture 'added_params' in conftest_services.py is not registered",
    ),
    Edit(
        "name_added",
        append("conftest_services", '@pytest.fixture(name="added_alias")\ndef _added_alias():\n    return 5'),
        "def test_it(added_alias):\n    assert added_alias == 5\n",
        "fixture '_added_alias' in conftest_services.py is not registered",
    ),
    Edit(
        "scope_changed",
        replace("conftest_services", '@pytest.fixture(scope="module")\ndef analytics_frame', '@pytest.fixture(scope="session")\ndef analytics_frame'),
        "def test_it(analytics_frame):\n    assert len(analytics_frame)\n",
        "fixture 'analytics_frame' in conftest_services.py changed its decorator or arguments",
    ),
    Edit(
        "params_and_ids_changed",
        replace(
            "conftest_services",
            '@pytest.fixture(params=[2, 8], ids=["two-users", "eight-users"])',
            '@pytest.fixture(params=[2, 3], ids=["two-users", "three-users"])',
        ),
        "def test_it(request, concurrent_user_contexts):\n"
        "    assert request.node.callspec.id in ('two-users', 'three-users')\n",
        "fixture 'concurrent_user_contexts' in conftest_services.py changed its decorator or arguments",
    ),
    Edit(
        "autouse_changed",
        replace("conftest_services", "@pytest.fixture\ndef numpy_rng", "@pytest.fixture(autouse=True)\ndef numpy_rng"),
        "def test_it(request):\n    assert 'numpy_rng' in request.fixturenames\n",
        "fixture 'numpy_rng' in conftest_services.py changed its decorator or arguments",
    ),
    Edit(
        "arguments_changed",
        replace(
            "conftest_services",
            "def numpy_rng() -> np.random.Generator:",
            "def numpy_rng(tmp_path) -> np.random.Generator:",
        ),
        "def test_it(numpy_rng):\n    assert numpy_rng.integers(10) < 10\n",
        "fixture 'numpy_rng' in conftest_services.py changed its decorator or arguments",
    ),
    Edit(
        "moved_by_hand",
        move("numpy_rng", "conftest_services", "conftest_e2e", "import numpy"),
        "def test_it(numpy_rng):\n    assert numpy_rng.integers(10) < 10\n",
        "fixture 'numpy_rng' in conftest_e2e.py moved there from conftest_services.py",
    ),
    Edit(
        "deleted",
        delete("numpy_rng", "conftest_services"),
        "def test_it(request):\n    assert 'numpy_rng' not in request.fixturenames\n",
        "fixture 'numpy_rng' is registered but no longer in conftest_services.py",
    ),
)
