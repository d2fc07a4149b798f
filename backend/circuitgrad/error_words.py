"""Filling the error catalog's templates: params, phrases and shapes worded per language.

The words are in error_catalog.py; this is the small machinery that fills them (a
str.Formatter with the catalog's format specs), spaces Chinese beside Latin text, and turns
params into plain JSON data.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from .error_catalog import MESSAGES, PHRASES
from .lang import Lang
from .numformat import format_number

_SEPARATORS: dict[Lang, tuple[str, str]] = {"en": (", ", " or "), "zh-CN": ("、", " 或 ")}


class _Formatter(string.Formatter):
    """str.format with the specs above, and phrases worded in one language."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return "{" + str(key) + "}"  # a param the error did not give: shown, never a crash

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, dict):
            return render_phrase(value, self.lang)
        kind, _, rest = format_spec.partition(":")
        if kind == "shape":
            return shape_words(value, self.lang)
        if kind == "num":  # the one number format of the steps and the page: 1e-7, 2.35e17
            return format_number(value)
        if kind in ("list", "or") and isinstance(value, list):
            separator = _SEPARATORS[self.lang][0 if kind == "list" else 1]
            return separator.join(self.format_field(item, "") for item in value)
        if kind == "plural":
            singular, _, plural = rest.partition(":")
            return singular if value == 1 else plural
        try:
            return str(super().format_field(value, format_spec))
        except (ValueError, TypeError):
            return str(value)


def render_phrase(phrase: Mapping[str, Any], lang: Lang) -> str:
    """A phrase param `{"phrase": NAME, ...}` worded in `lang`."""
    words = PHRASES.get(str(phrase.get("phrase")))
    if words is None:  # words that read the same in every language
        return str(phrase.get("text", ""))
    return _fill(words[lang], phrase, lang)


def shape_words(shape: Any, lang: Lang) -> str:
    """A shape as words: "a scalar", "a vector of 3", "a 3×2 matrix"."""
    if not isinstance(shape, list | tuple):
        return render_phrase({"phrase": "some_shape"}, lang)
    dims = "×".join("?" if size is None else str(size) for size in shape)
    if len(shape) == 0:
        return render_phrase({"phrase": "scalar"}, lang)
    if len(shape) == 1:
        return render_phrase({"phrase": "vector", "n": dims}, lang)
    kind = "matrix" if len(shape) == 2 else "tensor"
    return render_phrase({"phrase": kind, "dims": dims}, lang)


def _fill(template: str, params: Mapping[str, Any], lang: Lang) -> str:
    try:
        text = _Formatter(lang).vformat(template, (), params)
    except (ValueError, IndexError, KeyError, AttributeError):  # a malformed template
        text = template
    return _space_chinese(text) if lang == "zh-CN" else text


# Chinese and Latin text side by side are set apart by one space ("输入 x 的值"), and Chinese
# runs are never split by one: templates and phrases need not care where they are joined.
_HAN = "\u4e00-\u9fff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"
_GAP_IN_CHINESE = re.compile(f"(?<=[{_HAN}{_CJK_PUNCT}]) +(?=[{_HAN}{_CJK_PUNCT}])")
_HAN_THEN_LATIN = re.compile(f"([{_HAN}])([A-Za-z0-9'\"(\\[{{\\\\])")
_LATIN_THEN_HAN = re.compile(f"([A-Za-z0-9'\")\\]}}])([{_HAN}])")


def _space_chinese(text: str) -> str:
    text = _GAP_IN_CHINESE.sub("", text)
    text = _HAN_THEN_LATIN.sub(r"\1 \2", text)
    return _LATIN_THEN_HAN.sub(r"\1 \2", text)


def render_message(code: str, params: Mapping[str, Any], lang: Lang) -> str:
    """The message of `code` in `lang`, its params filled in."""
    words = MESSAGES.get(code)
    if words is None:
        return str(params.get("message", code))
    return _fill(words[lang], params, lang)


def jsonable(value: Any) -> Any:
    """A param as plain JSON data: tuples and numpy numbers become lists and Python numbers."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    item = getattr(value, "item", None)  # a numpy scalar
    if callable(item):
        return jsonable(item())
    return str(value)
