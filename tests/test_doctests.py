"""The examples in docstrings are true: run them."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["circuitgrad.result", "circuitgrad.optimize", "circuitgrad.check", "circuitgrad.inputs"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    results = doctest.testmod(importlib.import_module(name))
    assert results.attempted > 0
    assert results.failed == 0
