"""Tests for the decorator-syntax fixtures (bare, called, imported, aliased)."""

_SEEN_MODULE_ALIAS = []


def test_bare_decorator(plain_decorator):
    assert plain_decorator == {"style": "bare"}


def test_called_decorator_depends_on_bare(called_decorator, plain_decorator):
    assert called_decorator["style"] == "called"
    # Same function-scoped instance is shared within one test.
    assert called_decorator["base"] is plain_decorator


def test_from_import_fixture(imported_name):
    assert imported_name == "imported"


def test_pt_alias_module_scope_first(module_alias):
    _SEEN_MODULE_ALIAS.append(module_alias)
    assert module_alias["opened"] is True
    assert module_alias["module"] == __name__
    assert all(seen is module_alias for seen in _SEEN_MODULE_ALIAS)


def test_pt_alias_module_scope_second(module_alias):
    _SEEN_MODULE_ALIAS.append(module_alias)
    assert module_alias["opened"] is True
    # Module scope: every test of this module (in this process) sees one object.
    assert all(seen is module_alias for seen in _SEEN_MODULE_ALIAS)


class TestClassScopedImportedFixture:
    seen = []

    def test_first(self, imported_name_with_args):
        self.seen.append(imported_name_with_args)
        assert imported_name_with_args["scope"] == "class"
        assert imported_name_with_args["cls"] == type(self).__name__

    def test_second(self, imported_name_with_args):
        self.seen.append(imported_name_with_args)
        assert all(seen is imported_name_with_args for seen in self.seen)
