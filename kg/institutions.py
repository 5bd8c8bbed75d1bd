"""Public bodies named by description: "le département américain de la Justice",
"le ministère des Finances japonais", "l'autorité brésilienne de la concurrence",
"le gouvernement brésilien", "la cour d'appel de Paris".

The press names most regulators this way rather than by their official name. A
description is read as a *kind* of body (its head noun: a ministry, a regulator,
a court...), what it is in charge of (its domain: justice, competition...), and
its country, in either word order. Kind, domain and country identify the body:
two descriptions that agree on them are one actor, and so is a gazetteer entry
whose own forms read the same way (the ministry "ministère américain des
Finances" is the US Treasury). A description that matches no entry becomes an
actor of its own, typed Government and tied to its country.

All the words come from the rulebook's lexicons (``institution_heads``,
``institution_domains``, ``institution_qualifiers``, ``institution_prepositions``,
``institution_names``) and places; this module
knows no French.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.rules import GazetteerEntry, Rulebook

_GOVERNMENT, _REGULATOR, _COURT = "government", "regulator", "court"
_MAX_WORDS = 12  # longest description read: "le ministère fédéral allemand de l'Économie et ..."


@dataclass(frozen=True)
class Institution:
    """A description found in a run of words: ``words[start:end]``."""

    start: int
    end: int
    kind: str
    domain: str | None
    country: str | None
    seat: str | None  # a court's city: "de Paris"
    country_words: tuple[int, int] | None = None  # where the description says its country

    def name(self, texts: Sequence[str]) -> str:
        """The description as a name, its country said last: "ministère japonais des Finances"
        and "ministère des Finances japonais" both give "Ministère des Finances japonais"."""
        words = list(range(self.start, self.end))
        if self.country_words is not None:
            country = list(range(*self.country_words))
            words = [k for k in words if k not in country] + country
        text = " ".join(texts[k] for k in words).replace("' ", "'")
        return text[:1].upper() + text[1:]

    @property
    def identity(self) -> tuple[str, str | None, str | None]:
        return self.kind, self.domain, self.seat or self.country


class InstitutionReader:
    """Reads descriptions of public bodies; built once per rulebook."""

    def __init__(self, rulebook: Rulebook, tokenize: Callable[[str], list[str]],
                 adjective_forms: dict[str, frozenset[str]]):
        """``adjective_forms``: each inflected form of a nationality adjective, with its lemmas."""
        lex = rulebook.lexicons
        self._heads = dict(w.split("=", 1) for w in lex["institution_heads"])
        self._domains = {tuple(tokenize(w.split("=", 1)[0].lower())): w.split("=", 1)[-1]
                         for w in lex["institution_domains"]}
        self._longest_domain = max((len(d) for d in self._domains), default=1)
        self._qualifiers = set(lex["institution_qualifiers"])
        self._preps = set(lex["institution_prepositions"])
        self._determiners = set(lex["determiners"])
        # how a government the gazetteer does not list is named: "Gouvernement {adjective}"
        self._government_name = lex["institution_names"][0]
        # (lexicons are read in lower case: the country goes back to its place's own spelling)
        places = {place.name.lower(): place.name for place in rulebook.places}
        self._seat_countries: dict[str, str] = {}
        for pair in lex["institution_seats"]:
            seat, _, country = pair.partition("=")
            if country not in places:
                raise ValueError(f"institution_seats: {pair!r} names no place of places.toml")
            self._seat_countries[seat] = places[country]
        self._country_of_adjective: dict[str, str] = {}
        self._adjective_of_country: dict[str, str] = {}
        self._place_forms: dict[tuple[str, ...], str] = {}
        for place in rulebook.places:
            if place.adjectives:
                self._adjective_of_country[place.name] = place.adjectives[0]
            for adjective in place.adjectives:
                self._country_of_adjective[adjective] = place.name
            for form in place.forms:
                self._place_forms[tuple(t.lower() for t in tokenize(form))] = place.name
        for form, lemmas in adjective_forms.items():
            for lemma in lemmas:
                if lemma in self._country_of_adjective:
                    self._country_of_adjective.setdefault(form, self._country_of_adjective[lemma])
        self._longest_place = max((len(f) for f in self._place_forms), default=1)
        self.entries: dict[tuple[str, str | None, str | None], GazetteerEntry] = {}
        self.governments: dict[str, GazetteerEntry] = {}
        for entry in rulebook.gazetteer:
            if entry.type != "Government":
                continue
            descriptions = (self._without_determiner(d, tokenize) for d in entry.descriptions)
            for form in (entry.name, *entry.aliases, *descriptions):
                words = [w.lower() for w in tokenize(form)]
                found = self.read(words, words, [w[:1].isupper() for w in tokenize(form)], 0)
                if found is None or found.end != len(words):
                    continue
                country = found.country or entry.nationality
                self.entries.setdefault((found.kind, found.domain, found.seat or country), entry)
                if found.kind == _GOVERNMENT and found.domain is None and country:
                    self.governments.setdefault(country, entry)

    def _without_determiner(self, text: str, tokenize) -> str:
        words = tokenize(text)
        while words and words[0].lower() in self._determiners:
            words = words[1:]
        return " ".join(words).replace("' ", "'")

    def head_words(self) -> list[str]:
        return list(self._heads)

    def names_a_government(self, lower: str, lemma: str) -> bool:
        """Whether a word is the head of a description of a government ("l'administration",
        "le gouvernement")."""
        return (self._heads.get(lower) or self._heads.get(lemma)) == _GOVERNMENT

    def government_of(self, country: str) -> GazetteerEntry:
        """The national government of a country: its gazetteer entry, or one named from the
        country's adjective."""
        known = self.governments.get(country)
        if known is not None:
            return known
        name = self._government_name.format(adjective=self._adjective_of_country.get(country, ""))
        return GazetteerEntry(name[:1].upper() + name[1:], "Government", nationality=country)

    def read(self, lowers: Sequence[str], lemmas: Sequence[str], capitals: Sequence[bool],
             start: int) -> Institution | None:
        """The description that starts at ``start``, if its head is there and it says a country
        (or a court's seat) and, for anything but a government, a domain."""
        head = self._heads.get(lowers[start]) or self._heads.get(lemmas[start])
        if head is None:
            return None
        kind, domain, country, seat = head, None, None, None
        country_words: tuple[int, int] | None = None
        j, limit = start + 1, min(len(lowers), start + _MAX_WORDS)
        while j < limit:
            word, lemma = lowers[j], lemmas[j]
            place = self._country_of_adjective.get(word) or self._country_of_adjective.get(lemma)
            if place is not None:
                if country is not None:
                    break
                country, country_words, j = place, (j, j + 1), j + 1
                continue
            if word in self._qualifiers or lemma in self._qualifiers:
                j += 1
                continue
            named, length = self._longest(self._domains, lowers, j, self._longest_domain)
            if named is not None and domain is None:  # "le gendarme boursier"
                domain, j = named, j + length
                continue
            if word not in self._preps:
                break
            k = j + 1
            while k < limit and lowers[k] in self._determiners:
                k += 1
            place, length = self._longest(self._place_forms, lowers, k, self._longest_place)
            if place is not None and country is None:  # "le gouvernement du Brésil"
                country, country_words, j = place, (j, k + length), k + length
                continue
            named, length = self._longest(self._domains, lowers, k, self._longest_domain)
            if named is not None and domain is None:
                domain, j = named, k + length
                continue
            if kind == _COURT and seat is None and k < len(capitals) and capitals[k]:
                end = k + 1
                while end < limit and (capitals[end] or lowers[end] == "-"):
                    end += 1
                end = self._seat_end(lowers, k, end)
                seat = place or " ".join(lowers[k:end])
                country = country or self._seat_countries.get(seat)
                j = end
                break
            break
        if kind == _GOVERNMENT and domain is not None:
            kind = _REGULATOR  # "les autorités américaines de la concurrence"
        if kind == _GOVERNMENT:
            return Institution(start, j, kind, None, country, None, country_words) if country else None
        if kind == _COURT and seat is not None:
            return Institution(start, j, kind, domain, country, seat, country_words)
        if domain is None or (country is None and seat is None):
            return None
        return Institution(start, j, kind, domain, country, seat, country_words)

    def _seat_end(self, lowers: Sequence[str], k: int, end: int) -> int:
        """Where a court's seat ends in a run of capitalised words: the longest known seat,
        else a run of two words at most. A name often follows the seat with no comma
        ("devant le tribunal de Paris Jean Valmont", with the person cited)."""
        for stop in range(end, k, -1):
            if " ".join(lowers[k:stop]) in self._seat_countries:
                return stop
        return end if end - k <= 2 else k + 1

    @staticmethod
    def _longest(table: dict[tuple[str, ...], str], lowers: Sequence[str], k: int,
                 longest: int) -> tuple[str | None, int]:
        for length in range(min(longest, len(lowers) - k), 0, -1):
            value = table.get(tuple(lowers[k : k + length]))
            if value is not None:
                return value, length
        return None, 0

    def actor_entry(self, found: Institution, texts: Sequence[str]) -> GazetteerEntry:
        """The gazetteer entry the description names, or a new one for the body it describes."""
        known = self.entries.get(found.identity)
        if known is not None:
            return known
        government = self.governments.get(found.country) if found.country else None
        if found.kind == _GOVERNMENT:
            return self.government_of(found.country or "")
        # a court judges for no government: a capital named for the government ("Washington")
        # never stands for one of its courts
        acts_for = government.name if government and found.kind != _COURT else None
        return GazetteerEntry(found.name(texts), "Government", nationality=found.country, acts_for=acts_for)
