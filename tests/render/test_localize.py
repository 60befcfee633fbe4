"""Heavy imports move into the bodies that read them (before/after string tests)."""

from __future__ import annotations

import textwrap

import pytest

from splitter.render.localize import localize_imports

HEAVY = {"pandas", "sqlalchemy", "sqlalchemy.orm", "redis", "redis.asyncio"}


def localized(source: str) -> str:
    return localize_imports(textwrap.dedent(source), lambda module, level: level == 0 and module in HEAVY)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            '''
            import pandas as pd

            def frame():
                """Doc."""
                return pd.DataFrame()
            ''',
            '''

            def frame():
                """Doc."""
                import pandas as pd
                return pd.DataFrame()
            ''',
            id="after-the-docstring",
        ),
        pytest.param(
            """
            import os
            from sqlalchemy.orm import Session, sessionmaker

            def engine():
                return sessionmaker(), os

            def session():
                import json
                return Session()
            """,
            """
            import os

            def engine():
                from sqlalchemy.orm import sessionmaker
                return sessionmaker(), os

            def session():
                from sqlalchemy.orm import Session
                import json
                return Session()
            """,
            id="each-function-its-names-before-its-own-imports",
        ),
        pytest.param(
            """
            import redis
            import redis.asyncio

            class Pool:
                def client(self):
                    return redis.asyncio.Redis()
            """,
            """

            class Pool:
                def client(self):
                    import redis
                    import redis.asyncio
                    return redis.asyncio.Redis()
            """,
            id="methods-and-dotted-imports",
        ),
        pytest.param(
            """
            import pandas as pd

            def outer():
                def inner():
                    return [pd.x for _ in ()]
                return inner
            """,
            """

            def outer():
                import pandas as pd
                def inner():
                    return [pd.x for _ in ()]
                return inner
            """,
            id="the-outermost-def",
        ),
    ],
)
def test_a_heavy_import_only_bodies_read_moves_into_them(before: str, after: str) -> None:
    assert localized(before) == textwrap.dedent(after)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("import pandas as pd\nclass Frame(pd.DataFrame):\n    pass\n", id="base-class"),
        pytest.param("import pandas as pd\nimport pytest\n@pytest.mark.parametrize('x', [pd.NA])\ndef f(x):\n    return pd\n", id="decorator-argument"),
        pytest.param("import pandas as pd\ndef f(x=pd.NA):\n    return pd\n", id="default-value"),
        pytest.param("import pandas as pd\ndef f(x: pd.DataFrame):\n    return pd\n", id="annotation-evaluated-at-definition"),
        pytest.param("import pandas as pd\nEMPTY = pd.DataFrame()\ndef f():\n    return pd\n", id="module-constant"),
        pytest.param("import pandas as pd\nclass C:\n    kind = pd.DataFrame\n", id="class-attribute"),
        pytest.param("import pandas as pd\nmake = lambda: pd.DataFrame()\n", id="lambda"),
        pytest.param("import pandas as pd\ndef f():\n    return pd\npd = None\n", id="rebound"),
        pytest.param("try:\n    import pandas as pd\nexcept ImportError:\n    pd = None\ndef f():\n    return pd\n", id="probe"),
        pytest.param("import os\ndef f():\n    return os\n", id="light"),
    ],
)
def test_an_import_read_at_import_time_stays_at_the_top(source: str) -> None:
    assert localized(source) == source


def test_under_postponed_annotations_the_import_also_goes_under_type_checking() -> None:
    source = """
        from __future__ import annotations
        from typing import TYPE_CHECKING
        from sqlalchemy.orm import Session

        if TYPE_CHECKING:
            from collections.abc import Iterator

        def session() -> Iterator[Session]:
            yield Session()
        """
    assert localized(source) == textwrap.dedent(
        """
        from __future__ import annotations
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from collections.abc import Iterator
            from sqlalchemy.orm import Session

        def session() -> Iterator[Session]:
            from sqlalchemy.orm import Session
            yield Session()
        """
    )


def test_a_name_type_checking_already_imports_is_not_imported_twice() -> None:
    source = """
        from __future__ import annotations
        from typing import TYPE_CHECKING
        import pandas as pd

        if TYPE_CHECKING:
            import pandas as pd

        def frame() -> pd.DataFrame:
            return pd.DataFrame()
        """
    assert localized(source).count("import pandas as pd") == 2


def test_a_light_import_of_the_same_name_moves_with_the_heavy_one() -> None:
    source = """
        import redis
        import redis.asyncio

        def client():
            return redis.asyncio.Redis(), redis.x
        """
    HEAVY.discard("redis")
    try:
        assert localized(source) == textwrap.dedent(
            """

            def client():
                import redis
                import redis.asyncio
                return redis.asyncio.Redis(), redis.x
            """
        )
    finally:
        HEAVY.add("redis")


def test_what_the_bodies_import_is_read_back_for_conftest_attributes() -> None:
    """``_LAZY_IMPORTS``: ``conftest.pi`` still answers once ``from numpy import pi`` moved into a body."""
    from splitter.render.localize import body_imports

    moved = localized(
        """
        from pandas import NA, DataFrame
        import sqlalchemy as sa

        def frame():
            '''Doc.'''
            return DataFrame([NA]), sa
        """
    )
    assert body_imports(moved) == {"NA": "pandas:NA", "DataFrame": "pandas:DataFrame", "sa": "sqlalchemy:"}
