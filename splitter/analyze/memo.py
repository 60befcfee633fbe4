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

from splitter.analyze.cache import RememberedPerFile, ResultCache, code_fingerprint, content_digest
from splitter.analyze.parse import parse_conftest
from splitter.analyze.usage import FileUsage, file_usage
from splitter.model import ConftestModel

Parse = Callable[[str, str], ConftestModel]


def remembered_parse(cache_dir: Path) -> Parse:
    """:func:`parse_conftest`, answered from the cache when the same text was parsed before."""
    results = ResultCache(cache_dir, "parse")

    def parse(source: str, path: str) -> ConftestModel:
        key = [code_fingerprint(), path, content_digest(source)]
        found = results.get(key)
        if isinstance(found, ConftestModel) and found.source == source:
            return found
        model = parse_conftest(source, path)
        results.put(key, model)
        return model

    return parse


def remembered_usage(cache_dir: Path, folder: Path) -> RememberedPerFile[str | None, FileUsage | None]:
    """:func:`file_usage` of the test files under ``folder``, remembered per file."""
    return RememberedPerFile(cache_dir, "usage", folder, file_usage)
