"""The callable scope resolves per run configuration."""

_SEEN = []


def test_dynamic_scope_value(expensive_service, reuse_expected):
    _SEEN.append(expensive_service)
    expected_scope = "session" if reuse_expected else "function"
    assert expensive_service.scope == expected_scope


def test_dynamic_scope_caching(expensive_service, reuse_expected, released_log):
    _SEEN.append(expensive_service)
    if reuse_expected:
        # Session scope: always the same object, built once.
        assert all(seen is expensive_service for seen in _SEEN)
        assert expensive_service.build == 1
    else:
        # Function scope: earlier instances were released, this one is new.
        assert all(seen is not expensive_service for seen in _SEEN[:-1])
        assert all(seen.released for seen in _SEEN[:-1])
        assert released_log.count("expensive_service") == len(_SEEN) - 1
    assert not expensive_service.released


def test_function_scope_literal(per_test):
    assert per_test.scope == "function"
    assert not per_test.released
