"""The languages a learner can read circuitgrad in, and how a request names one.

Every text a learner reads (step explanations, error messages, example lessons) takes a
`lang`; the words themselves live next to what they describe (an op's words in its table
row, an error's in the error catalog), never here.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Lang = Literal["en", "zh-CN"]
LANGUAGES: Final[tuple[Lang, ...]] = get_args(Lang)
DEFAULT_LANG: Final[Lang] = "en"


def check_lang(value: str) -> Lang:
    """`value` as a Lang, or a ValueError that lists the languages there are."""
    for lang in LANGUAGES:
        if value == lang:
            return lang
    raise ValueError(f"unknown language {value!r}; use one of {', '.join(LANGUAGES)}")


def accepted_lang(header: str | None) -> Lang:
    """The language an `Accept-Language` header asks for (the highest-weighted one we speak),
    else the default. Used for the errors answered before a body's `lang` can be read."""
    best: tuple[float, Lang] = (0.0, DEFAULT_LANG)
    for item in (header or "").split(","):
        tag, _, weight = item.strip().partition(";")
        tag = tag.strip().lower()
        lang: Lang | None = "zh-CN" if tag.startswith("zh") else "en" if tag.startswith(
            "en") else None
        if lang is None:
            continue
        try:
            quality = float(weight.strip().removeprefix("q=")) if weight else 1.0
        except ValueError:
            continue
        if quality > best[0]:
            best = (quality, lang)
    return best[1]
