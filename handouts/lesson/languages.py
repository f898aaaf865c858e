"""What a lesson's `language` code says, from the Unicode CLDR data that Babel ships: whether
the code names a language at all, and which way its text runs.

Babel is imported only when a lesson names a language other than English: it takes a
fiftieth of a second.
"""

from __future__ import annotations

import difflib
import pickle
from functools import cache
from typing import Any


@cache
def _locale(code: str) -> Any:
    """Babel's locale for a code such as `pt-BR`, or None when CLDR knows no such language."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def canonical(code: str) -> str:
    """The code as BCP 47 writes it, whatever its case: `FR` is `fr`, `pt-br` is `pt-BR`,
    `zh-hant-tw` is `zh-Hant-TW` (a code CLDR does not know is left as written)."""
    if code.lower() == "en":
        return "en"
    locale = _locale(code)
    return str(locale).replace("_", "-") if locale is not None else code


def language_problem(code: str) -> tuple[str, str] | None:
    """Why `code` is not a language code (message, hint), or None when it is one."""
    if code == "en" or _locale(code) is not None:
        return None
    return f"'{code}' is not a language code CLDR knows", language_hint(code)


@cache
def _codes_by_name() -> dict[str, str]:
    """Every language's code by its own name in CLDR ("français", "العربية", "فارسی") and
    by its names in each language there are catalogs for ("French", "Französisch"), in
    lower case; the English names win a name two languages share. Read only to suggest a
    code for a mistake (a third of a second: every CLDR language's own file)."""
    from babel import Locale, localedata

    from ..builtin import BUILTIN_THEME

    by_name: dict[str, str] = {}
    for code in (code for code in localedata.locale_identifiers() if "_" not in code):
        own = _own_data(code).get("languages", {}).get(code)
        if own:
            by_name[own.casefold()] = code
    catalogs = sorted(path.stem for path in (BUILTIN_THEME / "strings").glob("*.yaml"))
    for language in [*catalogs, "en"]:  # English last: its names win
        by_name |= {name.casefold(): code for code, name in Locale(language).languages.items()}
    return by_name


def language_hint(text: str) -> str:
    """How to write the code meant by a misspelt code or a language's name, in English or
    in a language there are catalogs for ("French", "Français": use 'fr')."""
    from babel import Locale

    names = Locale("en").languages
    by_name = _codes_by_name()
    lowered = text.casefold().split("-")[0]
    if lowered in by_name:
        return f"use '{by_name[lowered]}' for {names[by_name[lowered]]}"
    close = difflib.get_close_matches(lowered, list(by_name), n=1, cutoff=0.75)
    if close:
        known = by_name[close[0]]
        return f"did you mean '{known}' ({names[known]})? Codes look like fr or pt-BR"
    return "use a language code such as en, fr or pt-BR"


@cache
def is_right_to_left(code: str) -> bool:
    """Whether a language's text runs right to left (Arabic, Hebrew, Persian, Urdu...).

    Read from the locale's own CLDR file, then its language's, unmerged with the root
    locale: a third of the time a whole locale takes to load."""
    if code == "en" or code.startswith("en-"):
        return False
    locale = _locale(code)
    if locale is None:
        return False
    for name in dict.fromkeys((str(locale), locale.language)):
        order: str | None = _own_data(name).get("character_order")
        if order:
            return order == "right-to-left"
    return False


def _own_data(name: str) -> dict[str, Any]:
    """A locale's own CLDR data, unmerged, read from Babel's file as Babel reads it; not
    through `localedata.load(name, merge_inherited=False)`, which would keep the unmerged
    data in Babel's cache as the whole locale's (its numbers' formats gone, for one)."""
    from babel import localedata

    with open(localedata.resolve_locale_filename(name), "rb") as file:
        data: dict[str, Any] = pickle.load(file)  # Babel's own data file, as it loads it
    return data
