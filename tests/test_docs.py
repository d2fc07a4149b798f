"""The language reference stays in step with the parser's table of functions."""

from pathlib import Path

from circuitgrad.language.parser import CONSTANTS
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


def test_the_steps_guide_shows_a_real_step() -> None:
    from circuitgrad import evaluate

    guide = (Path(__file__).parents[1] / "docs" / "steps.md").read_text(encoding="utf-8")
    step = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4}).steps[5]
    assert f'"text": "{step["text"]}"' in guide
    assert '"locals": {"e2": -4.0, "e3": 3.0}' in guide and step["locals"] == {"e2": -4.0,
                                                                               "e3": 3.0}
    assert "docs/steps.md" in README
