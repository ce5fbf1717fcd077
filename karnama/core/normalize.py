"""Normalising text from real files: Arabic letters, digits, zero-width non-joiners, prefixes, spaces."""

from __future__ import annotations

import re

_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "هٔ", "ـ": None})
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u200f\u200e\u202a-\u202e\ufeff]+")
_COUNTY_PREFIX = re.compile(r"^(شهرستان|شهر)\s+")


def latin_digits(text: str) -> str:
    """Persian (۱۲۳) and Arabic-Indic (١٢٣) digits to Latin ones."""
    return text.translate(_DIGITS)


def fa_text(text: object) -> str:
    """Persian letters for Arabic yeh/kaf, Latin digits, no tatweel, single spaces, trimmed."""
    return fa_text_raw(str(text)).strip()


def fa_text_raw(text: str) -> str:
    """:func:`fa_text` without the final trim (so many texts joined by a separator can be normalised at once)."""
    return _SPACES.sub(" ", latin_digits(text).translate(_ARABIC_TO_PERSIAN))


def name_key(text: object) -> str:
    """A matching key for a place name: ``شهرستان خليل آباد`` and ``خلیل‌آباد`` give the same key."""
    t = _COUNTY_PREFIX.sub("", fa_text(text))
    return re.sub(r"[\s\u200c\-_]+", "", t).lower()
