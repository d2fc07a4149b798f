"""The tokenizer: kinds, offsets, aliases, numbers versus names, statement ends."""

from __future__ import annotations

import pytest

from circuitgrad.errors import LimitError, ParseError
from circuitgrad.language.tokens import tokenize


def kinds_and_texts(source: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(source)]


def test_offsets_point_into_the_source() -> None:
    source = "  w0*x_1 + 2.5e-3"
    for token in tokenize(source)[:-1]:
        assert source[token.pos:token.pos + len(token.text)] == token.text


@pytest.mark.parametrize(("source", "numbers"), [
    ("2", ["2"]), ("2.5", ["2.5"]), (".5", [".5"]), ("1e-3", ["1e-3"]), ("3E+2", ["3E+2"]),
    ("2.", ["2."]), ("1e10", ["1e10"]),
])
def test_numbers(source: str, numbers: list[str]) -> None:
    assert [t.text for t in tokenize(source) if t.kind == "number"] == numbers


@pytest.mark.parametrize(("source", "expected"), [
    ("2e-1", [("number", "2e-1")]),
    ("2exp(x)", [("number", "2"), ("name", "exp"), ("op", "("), ("name", "x"), ("op", ")")]),
    ("2e", [("number", "2"), ("name", "e")]),
    ("2e-x", [("number", "2"), ("name", "e"), ("op", "-"), ("name", "x")]),
    ("2E+", [("number", "2"), ("name", "E"), ("op", "+")]),
    ("w0", [("name", "w0")]),
    ("x2y", [("name", "x2y")]),
    ("x**2", [("name", "x"), ("op", "**"), ("number", "2")]),
    ("a.T", [("name", "a"), ("op", ".T")]),
    ("a.Tb", None),
])
def test_exponent_parts_and_names(source: str, expected: list[tuple[str, str]] | None) -> None:
    if expected is None:
        with pytest.raises(ParseError):
            tokenize(source)
        return
    assert kinds_and_texts(source)[:-1] == expected


def test_unicode_aliases_keep_offsets() -> None:
    tokens = tokenize("a×b·c−σ(d)")
    assert [t.text for t in tokens[:-1]] == ["a", "*", "b", "*", "c", "-", "sigmoid", "(",
                                             "d", ")"]
    assert [t.pos for t in tokens[:-1]] == list(range(10))


def test_newlines_end_statements_except_after_operators_and_inside_brackets() -> None:
    assert [t.kind for t in tokenize("x +\ny")] == ["name", "op", "name", "eof"]
    assert [t.kind for t in tokenize("(x\n+ y)")] == ["op", "name", "op", "name", "op", "eof"]
    assert [t.kind for t in tokenize("x\n+ y")] == ["name", "end", "op", "name", "eof"]
    assert [t.kind for t in tokenize("max(x,\ny)")].count("end") == 0


def test_comments_and_blank_lines_vanish() -> None:
    tokens = tokenize("# a comment\n\nq = x # trailing\n\n# last\nq")
    assert [t.text for t in tokens if t.kind != "end"] == ["q", "=", "x", "q", ""]
    assert sum(t.kind == "end" for t in tokens) == 1


def test_space_before_is_recorded() -> None:
    tokens = tokenize("exp (x)")
    assert tokens[1].space_before and not tokens[2].space_before


@pytest.mark.parametrize("source", ["__x", "a + __init__", "x$", "٣", "x.y", "x}", "(x}"])
def test_bad_characters_and_dunder_names(source: str) -> None:
    with pytest.raises(ParseError):
        tokenize(source)


def test_name_length_limit() -> None:
    tokenize("a" * 64)
    with pytest.raises(ParseError, match="64"):
        tokenize("a" * 65)


def test_source_length_limit() -> None:
    with pytest.raises(LimitError):
        tokenize("x" * 11, max_length=10)
