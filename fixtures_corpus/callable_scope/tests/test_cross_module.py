"""Higher scopes are shared across modules; module scope is not."""


def test_package_and_session_again(per_package, per_session):
    assert per_package.build == 1
    assert per_session.build == 1
    assert not per_package.released
    assert not per_session.released


def test_module_scope_is_per_module(per_module, released_log):
    assert per_module.scope == "module"
    # If another module's instance existed in this process it was released first.
    assert per_module.build == released_log.count("per_module") + 1
