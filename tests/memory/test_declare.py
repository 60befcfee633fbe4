"""``memory_profile``: the declaration survives every way of stacking it with pytest.fixture."""

from __future__ import annotations

import inspect

import pytest

from splitter.memory import memory_profile
from splitter.memory.declare import DeclaredProfile, declared_profile, parse_level
from splitter.model import Impact


@pytest.mark.parametrize(
    ("given", "level"),
    [
        pytest.param(Impact.HIGH, Impact.HIGH, id="enum"),
        pytest.param("high", Impact.HIGH, id="lower"),
        pytest.param("VERY_HIGH", Impact.VERY_HIGH, id="name"),
        pytest.param("very-high", Impact.VERY_HIGH, id="dashed"),
    ],
)
def test_levels_by_enum_or_name(given, level):
    assert parse_level(given) is level


def test_an_unknown_level_names_the_valid_ones():
    with pytest.raises(ValueError, match="MINIMAL, LOW, MEDIUM, HIGH, VERY_HIGH"):
        memory_profile("x", "huge")


def plain():
    return 1


@pytest.mark.parametrize("order", ["above", "below"])
def test_the_function_pytest_stores_carries_the_declaration(order):
    declare = memory_profile("a database engine", "HIGH")
    fixture = (
        declare(pytest.fixture(plain))
        if order == "above"
        else pytest.fixture(declare(plain))
    )
    stored = inspect.unwrap(fixture)  # the function FixtureDef.func holds
    assert declared_profile(stored) == DeclaredProfile("a database engine", Impact.HIGH)
    assert declared_profile(fixture) == DeclaredProfile(
        "a database engine", Impact.HIGH
    )


def test_undeclared_functions_have_no_profile():
    assert declared_profile(lambda: None) is None
