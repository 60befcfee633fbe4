"""The plan tests check splits of corpus copies, like the migrate tests."""

from tests.migrate.conftest import corpus_copy

__all__ = ["corpus_copy"]
