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
