"""How much room a text takes, without a font at hand: conservative widths per character.

The server lays the circuit out before any browser has measured a glyph, so widths are
estimated from DejaVu Sans Bold, the widest of the common sans-serif faces (a page in
Helvetica, Arial or Roboto draws the same text narrower, never wider, and so never overlaps).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat

# Advance widths in em of DejaVu Sans Bold, grouped; anything else counts as a wide letter.
_WIDTHS: dict[str, float] = {
    **dict.fromkeys("0123456789", 0.70),
    **dict.fromkeys(".,:;'|!", 0.38),
    **dict.fromkeys("-()[]{}", 0.46),
    **dict.fromkeys(" ", 0.35),
    **dict.fromkeys("ijlft", 0.40),
    **dict.fromkeys("abcdeghknopqrsuvxyz", 0.70),
    **dict.fromkeys("mw", 1.04),
    **dict.fromkeys("ABCDEFGHIJKLNOPQRSTUVXYZ", 0.80),
    **dict.fromkeys("MW", 1.00),
    **dict.fromkeys("+−×*=<>^~/∑σ∞√", 0.84),
}
_DEFAULT = 0.84


@lru_cache(maxsize=8192)  # a diagram measures the same numbers and names again and again
def text_width(text: str, size: float) -> float:
    """The width of `text` set at `size` pixels (an upper bound for sans-serif faces)."""
    # (map rather than a generator: about twice as fast, the same sum in the same order)
    return size * sum(map(_WIDTHS.get, text, repeat(_DEFAULT, len(text))))


# NOTE: a wire's label column is at least as wide as this number, so a typical edit of an
# input's value (say 2 -> -0.0625) keeps the layout and the page need not re-read it; a longer
# number (-0.0001234) widens its own column.
TYPICAL_NUMBER = "-0.01234"
