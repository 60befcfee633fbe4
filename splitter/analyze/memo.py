"""Pure analysis steps remembered across runs, by the exact inputs that decide them (I/O).

Parsing the conftest (libcst and its scope metadata) and reading the tests of the
default subset are pure functions of source text; their results are kept in a
:class:`~splitter.analyze.cache.ResultCache` under the text's digest, the path
it is shown under, and :func:`~splitter.analyze.cache.code_fingerprint`, so an
edit to a file, or to splitter, is a different key: never a stale answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libcst as cst

from splitter.analyze.cache import RememberedPerFile, ResultCache, code_fingerprint, content_digest
from splitter.analyze.parse import parse_conftest
from splitter.analyze.usage import FileUsage, file_usage
from splitter.model import ConftestModel

Parse = Callable[[str, str], ConftestModel]


class RememberedParse:
    """:func:`parse_conftest`, answered from the cache when the same text was parsed before.

    Called like ``parse_conftest(source, path)``; :meth:`recall` only looks, so a
    caller can read the syntax tree first (the prelude, before measuring starts)
    and hand it to the parse instead of parsing twice.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.results = ResultCache(cache_dir, "parse")

    def recall(self, source: str, path: str) -> ConftestModel | None:
        """The remembered model of ``source`` shown as ``path``, None when there is none."""
        found = self.results.get(self.key(source, path))
        return found if isinstance(found, ConftestModel) and found.source == source else None

    def __call__(self, source: str, path: str, module: cst.Module | None = None) -> ConftestModel:
        """The model of ``source``; ``module`` is its libcst tree when the caller has parsed it."""
        found = self.recall(source, path)
        if found is not None:
            return found
        model = parse_conftest(source, path, module)
        self.results.put(self.key(source, path), model)
        return model

    @staticmethod
    def key(source: str, path: str) -> list[object]:
        return [code_fingerprint(), path, content_digest(source)]


def remembered_parse(cache_dir: Path) -> RememberedParse:
    """:func:`parse_conftest`, answered from the cache when the same text was parsed before."""
    return RememberedParse(cache_dir)


def remembered_usage(cache_dir: Path, folder: Path) -> RememberedPerFile[str | None, FileUsage | None]:
    """:func:`file_usage` of the test files under ``folder``, remembered per file."""
    return RememberedPerFile(cache_dir, "usage", folder, file_usage)
