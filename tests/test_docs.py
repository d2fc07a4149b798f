"""The language reference stays in step with the parser: its functions, its notation tables
(each row parsed and compared), its refusals and its aliases."""

import re
from pathlib import Path

import pytest

from circuitgrad.errors import ParseError
from circuitgrad.language import notation
from circuitgrad.language.parser import CONSTANTS
from circuitgrad.language.parser import parse as parse_program
from circuitgrad.language.syntax import to_sexpr
from circuitgrad.ops import FUNCTIONS

REFERENCE = (Path(__file__).parents[1] / "docs" / "language.md").read_text(encoding="utf-8")
README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_function_is_documented() -> None:
    missing = [name for name in FUNCTIONS if f"`{name}(" not in REFERENCE]
    assert missing == []


def test_every_constant_is_documented() -> None:
    assert all(f"`{name}`" in REFERENCE for name in CONSTANTS)


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1200]
    assert "make run" in head and "make test" in head
    assert "docs/language.md" in README


def _section(start: str, end: str) -> str:
    return REFERENCE[REFERENCE.index(start):REFERENCE.index(end)]


def _cells(row: str) -> list[str]:
    """The cells of a table row, `\\|` read as a plain bar."""
    cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    return [cell.strip().replace("\\|", "|") for cell in cells]


NOTATION = _section("## Notation from the notes", "### What is refused")
REFUSED = _section("### What is refused", "## Functions")


def _parse_rows() -> list[tuple[str, str]]:
    rows = []
    for line in NOTATION.splitlines():
        cells = _cells(line) if line.startswith("| `") else []
        if len(cells) >= 2 and cells[1].startswith("`("):
            rows.append((cells[0].strip("`"), cells[1].strip("`")))
    return rows


@pytest.mark.parametrize(("typed", "parse"), _parse_rows())
def test_every_documented_notation_parses_as_documented(typed: str, parse: str) -> None:
    statements = [to_sexpr(s.expr) for s in parse_program(typed).statements]
    assert " ; ".join(statements) == parse


def test_the_notation_tables_are_not_empty() -> None:
    assert len(_parse_rows()) >= 30


@pytest.mark.parametrize("typed", [
    item.strip("`") for line in REFUSED.splitlines() if line.startswith("| `")
    for item in _cells(line)[0].split(", ")])
def test_every_documented_refusal_is_refused(typed: str) -> None:
    with pytest.raises(ParseError):
        parse_program(typed)


def test_every_alias_and_latex_command_is_documented() -> None:
    aliases = [char for char, ascii_ in notation.SAME_WIDTH.items()
               if ascii_ != " " and not 0xFF01 <= ord(char) <= 0xFF5E and char not in "₀₁₂₃₄₅₆₇₈₉"]
    assert [char for char in aliases if f"`{char}" not in NOTATION and char not in NOTATION] == []
    commands = [name for name, (kind, _) in notation.LATEX.items() if kind != "space"]
    assert [name for name in commands if f"\\{name}" not in NOTATION] == []


def test_the_steps_guide_shows_a_real_step() -> None:
    from circuitgrad import evaluate

    guide = (Path(__file__).parents[1] / "docs" / "steps.md").read_text(encoding="utf-8")
    step = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4}).steps[5]
    assert f'"text": "{step["text"]}"' in guide
    assert '"locals": {"e2": -4.0, "e3": 3.0}' in guide and step["locals"] == {"e2": -4.0,
                                                                               "e3": 3.0}
    assert "docs/steps.md" in README
