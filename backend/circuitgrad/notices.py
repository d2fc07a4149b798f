"""Warnings of the lab's runs as data: a catalog code and its params, worded per language.

A run (gradient check, optimization, training) notes what a learner should know beside its
numbers as `Notice`s; the answer words them in the request's language (the catalog's
section of notices) and also gives them as data, `{code, params, message}`, so a client can
word them itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .error_words import jsonable, render_message
from .lang import Lang


@dataclass(frozen=True, slots=True)
class Notice:
    """One warning: the catalog's `code` and the names and numbers it is made of."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang) -> str:
        """The warning as a sentence in `lang`."""
        return render_message(self.code, self.params, lang)

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """The JSON of one warning: its code, its params as plain data, its sentence."""
        return {"code": self.code, "params": jsonable(dict(self.params)),
                "message": self.message(lang)}


def sentences(notices: Sequence[Notice], lang: Lang) -> list[str]:
    """The warnings as sentences in `lang` (a run's `warnings`)."""
    return [notice.message(lang) for notice in notices]


def worded(notices: Sequence[Notice], lang: Lang) -> dict[str, Any]:
    """An answer's `warnings` (sentences, as before) and `notices` (the same as data)."""
    return {"warnings": sentences(notices, lang),
            "notices": [notice.to_dict(lang) for notice in notices]}
