"""How a gate is put into words: the phrase types an op's table row fills in, and the small
template language its formulas are written in.

A template names its slots with `$`: `$0`, `$1` the gate's operands, `$out` its output, `$g`
the upstream gradient, `$d0`, `$d1` numbers the row derives (`Local.derived`). The same
template is filled with references (`x + y`) or with numbers (`-2 + 5`), as plain text or as
LaTeX. Each slot knows from its neighbours how tightly what goes in must bind: `$0 ^ $1`
brackets a sum or a negative number at `$0`, `max($0, $1)` never brackets, and any filling
that starts with a minus sign is bracketed after an operator (`2 × (-3)`, `-(-4)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..lang import Lang

# How tightly a formula binds, for brackets: a row's `precedence` is one of these.
SUM = 1  # x + y, x - y
PRODUCT = 2  # x × y, x / y, X @ W, 1 / x
NEGATION = 3  # -x, and every negative number
POWER = 4  # x ^ y
POSTFIX = 8  # xᵀ, s[row, label]
ATOM = 9  # names, numbers, function calls: exp(x), max(x, y)


@dataclass(frozen=True, slots=True)
class Say:
    """One phrase in every language a learner reads."""

    en: str
    zh: str  # 简体中文

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh-CN" else self.en


Phrase = str | Say  # a plain str reads the same in every language (a formula)


def say(phrase: Phrase, lang: Lang) -> str:
    """The phrase in `lang`."""
    return phrase if isinstance(phrase, str) else phrase(lang)


@dataclass(frozen=True, slots=True)
class Local:
    """How one input's local gradient is written, symbolically and with the numbers in.

    Where `symbolic` holds `$g` it is the input's whole contribution (a tensor rule such as
    `$g @ $1ᵀ`); otherwise it is a factor that multiplies the upstream gradient.
    """

    symbolic: Phrase  # "$1", "(1 - σ)·σ", "1 if $0 > 0, else 0"
    latex: str  # r"(1 - \sigma)\,\sigma"
    numeric: Phrase = ""  # with numbers put in; "" = `symbolic` with the numbers put in
    numeric_latex: str = ""
    derived: Callable[..., tuple[float, ...]] | None = None  # (out, *inputs) -> $d0, $d1, ...
    # A rule with branches (relu, max) words the branch taken instead of a numeric formula:
    # `case(out, *inputs)` picks one of `cases`, each saying why the value is what it is.
    case: Callable[..., int] | None = None
    cases: tuple[Phrase, ...] = ()
    cases_latex: tuple[str, ...] = ()

    @property
    def is_contribution(self) -> bool:
        """True when the template is the whole contribution (it names the upstream `$g`)."""
        return "$g" in (self.symbolic if isinstance(self.symbolic, str) else self.symbolic.en)


@dataclass(frozen=True, slots=True)
class Words:
    """Everything a row says about its gate, beside its rules."""

    name: Say  # the gate's name: Say("add", "加法")
    formula: str  # the forward formula as text: "$0 + $1"
    latex: str  # and as LaTeX: r"\frac{$0}{$1}"
    precedence: int  # how tightly `formula` binds (SUM ... ATOM), for brackets around it
    local: tuple[Local, ...]  # one per input
    pattern: Say | None = None  # "add distributes: ...": the part before ':' is its name


# ---- templates ------------------------------------------------------------------------------

_SLOT = re.compile(r"\$([01]|out|g|d[0-3])")
_OPENERS = ("(", "[", "{", ",", "|", "\\left(")
_CLOSERS = (")", "]", "}", ",", "|", "\\right")
# What binds an operand on its left (the slot is the right operand) and on its right.
_AFTER = (("\\cdot", PRODUCT), ("\\times", PRODUCT), ("+", SUM), ("×", PRODUCT),
          ("·", PRODUCT), ("@", NEGATION), ("/", NEGATION), ("^", POWER))
_BEFORE = (("\\cdot", PRODUCT), ("\\times", PRODUCT), ("+", SUM), ("-", SUM), ("×", PRODUCT),
           ("·", PRODUCT), ("/", PRODUCT), ("@", PRODUCT), ("^", POWER + 1), ("²", POWER + 1),
           ("ᵀ", POSTFIX), ("[", POSTFIX), ("_", POSTFIX), ("$", PRODUCT))


Filling = tuple[str, int]  # what goes into a slot: its text and how tightly it binds

# Where each slot's filling sits in the list `Template.fill` takes: operands first, then the
# output, the upstream gradient and the derived numbers.
SLOT_INDEX = {"0": 0, "1": 1, "out": 2, "g": 3, **{f"d{k}": 4 + k for k in range(4)}}
OUT, UPSTREAM, DERIVED = 2, 3, 4


@dataclass(frozen=True, slots=True)
class Slot:
    """One `$name` in a template, and what a filling needs there to go without brackets."""

    name: str
    index: int  # into the fillings list: SLOT_INDEX[name]
    need: int  # the least precedence a filling may have unbracketed
    after_operator: bool  # a filling starting with a minus sign is bracketed here


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template: `literals[0] slot[0] literals[1] slot[1] ... literals[-1]`."""

    literals: tuple[str, ...]
    slots: tuple[Slot, ...]

    def fill(self, fillings: Sequence[Filling], latex: bool = False) -> str:
        """Put each slot's (text, precedence) in, bracketed where the slot needs it."""
        if not self.slots:
            return self.literals[0]
        literals = self.literals
        out = [literals[0]]
        for k, slot in enumerate(self.slots):
            text, precedence = fillings[slot.index]
            if precedence < slot.need or (slot.after_operator and text[:1] == "-"):
                text = f"\\left({text}\\right)" if latex else f"({text})"
            out.append(text)
            out.append(literals[k + 1])
        return "".join(out)

    @property
    def names(self) -> set[str]:
        """The slot names used."""
        return {slot.name for slot in self.slots}


# Words that apply to what follows them without brackets, binding like a call: ln x.
_PREFIX_WORDS = ("ln", "Σ_j", "\\ln", "\\sum", "\\sum_j")


def _left_need(before: str, slot_before: bool) -> tuple[int, bool]:
    """What the text before a slot asks of it: (need, whether it follows an operator)."""
    if not before:
        return (PRODUCT, True) if slot_before else (0, False)
    if before.endswith(_OPENERS):
        return 0, False
    if before.endswith(("-", "−")):
        rest = before[:-1].rstrip()
        unary = (not rest and not slot_before) or rest.endswith(_OPENERS + ("=", "×", "·"))
        return (NEGATION + 1 if unary else PRODUCT), True
    for symbol, need in _AFTER:
        if before.endswith(symbol):
            return need, True
    if before.endswith(_PREFIX_WORDS):
        return POSTFIX, True
    return 0, False  # prose: "here $0 > 0"


def _right_need(after: str) -> int:
    if not after or after.startswith(_CLOSERS):
        return 0
    for symbol, need in _BEFORE:
        if after.startswith(symbol):
            return need
    return 0


@lru_cache(maxsize=1024)
def compile_template(source: str) -> Template:
    """Split a template into text and slots, working out each slot's brackets once."""
    pieces = _SLOT.split(source)  # text, name, text, name, ..., text
    slots = []
    for index in range(1, len(pieces), 2):
        before = pieces[index - 1].rstrip()
        after = pieces[index + 1].lstrip()
        if not after and index + 2 < len(pieces):
            after = "$"  # another slot right after: `$0 $1` juxtaposes, a product
        need_left, operator = _left_need(before, slot_before=index > 1)
        enclosed = before.endswith(_OPENERS) and (not after or after.startswith(_CLOSERS))
        need = 0 if enclosed else max(need_left, _right_need(after))
        name = pieces[index]
        slots.append(Slot(name, SLOT_INDEX[name], need, operator and not enclosed))
    return Template(tuple(pieces[0::2]), tuple(slots))


def fill(source: str, fillings: Sequence[Filling], latex: bool = False) -> str:
    """Compile (once) and fill a template."""
    return compile_template(source).fill(fillings, latex)


def slots_of(source: str) -> set[str]:
    """The slot names a template uses."""
    return compile_template(source).names


def number_precedence(text: str) -> int:
    """A number as a filling: a negative one binds like a negation, others are atoms."""
    return NEGATION if text[:1] == "-" else ATOM


def pattern_name(pattern: str) -> str:
    """The short name of a pattern: "add distributes" of "add distributes: ..."."""
    for colon in (":", "："):
        head, found, _ = pattern.partition(colon)
        if found:
            return head
    return pattern


def check_words(name: str, arity: int, words: Any) -> None:
    """A row's words must cover every input, in every language (checked at registration)."""
    if not isinstance(words, Words):
        raise TypeError(f"primitive {name!r} needs its Words")
    if len(words.local) != arity:
        raise ValueError(f"primitive {name!r} words {len(words.local)} local gradients "
                         f"for {arity} inputs")
