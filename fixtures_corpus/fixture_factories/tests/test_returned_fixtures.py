"""Fixtures produced by ``make_fixture`` / ``make_derived_fixture``."""

import pytest

_BETAS = []


def test_alpha(alpha):
    assert alpha == 1


def test_alpha_doubled(alpha_doubled, alpha):
    assert alpha_doubled == 2 * alpha


def test_beta_module_scope(beta, request):
    _BETAS.append(beta)
    assert beta == {"name": "beta"}
    assert request.getfixturevalue("beta") is beta


def test_beta_shared_in_module(beta):
    _BETAS.append(beta)
    assert all(item is beta for item in _BETAS)


def test_gamma_session(gamma):
    assert gamma == ["g1", "g2"]


def test_inner_function_name_is_not_a_fixture(request):
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue("_f")
