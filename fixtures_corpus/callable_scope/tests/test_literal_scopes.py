"""Each literal scope caches exactly as declared."""

_MODULE_SEEN = []


class TestClassScope:
    seen = []

    def test_one(self, per_class, per_module):
        self.seen.append(per_class)
        _MODULE_SEEN.append(per_module)
        assert per_class.scope == "class"
        assert all(seen is per_class for seen in self.seen)

    def test_two(self, per_class, per_module):
        self.seen.append(per_class)
        _MODULE_SEEN.append(per_module)
        assert all(seen is per_class for seen in self.seen)


class TestAnotherClass:
    def test_gets_a_different_class_instance(self, per_class):
        assert per_class is not None
        assert all(seen is not per_class for seen in TestClassScope.seen)


def test_module_scope(per_module):
    _MODULE_SEEN.append(per_module)
    assert per_module.scope == "module"
    assert all(seen is per_module for seen in _MODULE_SEEN)


def test_package_and_session(per_package, per_session):
    assert per_package.scope == "package"
    assert per_session.scope == "session"
    # Built once per process (xdist workers each build their own).
    assert per_package.build == 1
    assert per_session.build == 1
