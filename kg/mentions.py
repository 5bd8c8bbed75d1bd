"""Actor mentions: who an article talks about, and where.

Three sources, in order of trust:

1. the gazetteer (names, aliases, metonyms, descriptions that mean one actor);
2. descriptive references ("le groupe chinois", "la société basée à Redmond")
   resolved to an actor already named in the article;
3. named-entity candidates from spaCy for actors nobody listed, cleaned of the
   titles the model swallows, linked to earlier full names ("M. Bouchard"
   after "Alain Bouchard") and to near-identical gazetteer names (typos).

Pronouns are not mentions: the rule engine resolves them on demand, because
the right antecedent depends on which slot of which rule asks.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.cities import countries_of_town
from kg.institutions import Institution, InstitutionReader
from kg.namespaces import slugify
from kg.rules import GazetteerEntry, Rulebook

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.nlp import Paragraph

# Candidate kinds. Strong candidates become actors as soon as they are seen;
# weak ones (MISC entities, bare proper-noun runs) only when a rule uses them.
NAME, REFERENCE, CANDIDATE, WEAK = "name", "reference", "candidate", "weak"

_MAX_NAME_TOKENS = 8
_FUZZY_MIN_LENGTH = 8
_FUZZY_RATIO = 0.9


@dataclass(frozen=True)
class ActorRef:
    """An actor as the graph will know it: stable key, canonical name and type."""

    key: str
    name: str
    type: str
    entry: GazetteerEntry | None = None

    @property
    def nationality(self) -> str | None:
        return self.entry.nationality if self.entry else None


@dataclass
class Mention:
    para: int
    start: int  # token index in the paragraph's Doc
    end: int  # exclusive
    char_start: int  # offsets in the article body
    char_end: int
    surface: str
    actor: ActorRef
    kind: str
    metonym: bool = False  # a place standing for a government ("Londres", "Bercy")


@dataclass
class ArticleMentions:
    """Every mention of an article, with look-ups by position."""

    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[tuple[int, int], Mention] = field(default_factory=dict)
    # nationalities that descriptive references gave to actors the gazetteer does not know
    nationalities: dict[str, str] = field(default_factory=dict)
    # the nouns the article itself puts before a name ("le réassureur Scor"): what a bare
    # "le réassureur" later refers to
    described_as: dict[str, set[str]] = field(default_factory=dict)
    # actor key -> keys of the institutions it acts for ("l'administration X": X acts for
    # its government), with the actors so linked that no mention of their own names
    acting_for: dict[str, set[str]] = field(default_factory=dict)
    linked: dict[str, ActorRef] = field(default_factory=dict)

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        for i in range(mention.start, mention.end):
            self.by_token[(mention.para, i)] = mention

    def at(self, para: int, token_index: int) -> Mention | None:
        return self.by_token.get((para, token_index))

    def remove(self, mention: Mention) -> None:
        self.mentions.remove(mention)
        for i in range(mention.start, mention.end):
            if self.by_token.get((mention.para, i)) is mention:
                del self.by_token[(mention.para, i)]

    def in_span(self, para: int, start: int, end: int) -> list[Mention]:
        seen: list[Mention] = []
        for i in range(start, end):
            m = self.by_token.get((para, i))
            if m is not None and (not seen or seen[-1] is not m):
                seen.append(m)
        return seen

    def before(self, para: int, token_index: int) -> list[Mention]:
        """Mentions that end before a position, nearest first."""
        return sorted(
            (m for m in self.mentions if (m.para, m.end) <= (para, token_index)),
            key=lambda m: (m.para, m.end),
            reverse=True,
        )

    def after(self, para: int, token_index: int) -> list[Mention]:
        return sorted(
            (m for m in self.mentions if (m.para, m.start) > (para, token_index)),
            key=lambda m: (m.para, m.start),
        )

    def actors(self, *, include_weak: bool = False) -> list[ActorRef]:
        seen: dict[str, ActorRef] = {}
        for m in self.mentions:
            if include_weak or m.kind != WEAK:
                seen.setdefault(m.actor.key, m.actor)
        return list(seen.values())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form used to compare names."""
    return slugify(text).replace("-", " ")


class MentionFinder:
    """Finds actor mentions in parsed articles; built once per rulebook."""

    def __init__(self, rulebook: Rulebook, tokenize):  # tokenize: str -> list[str]
        from spacy.strings import get_string_id

        from kg.nlp import inflected_forms, known_forms, lemmas_by_form

        self.rulebook = rulebook
        lex = rulebook.lexicons
        self._determiners = set(lex["determiners"])
        self._contracted = set(lex["contracted_determiners"])
        self._locatives = set(lex["locative_prepositions"])
        self._town_prepositions = set(lex["town_prepositions"])
        self._hq_markers = set(lex["hq_markers"])
        self._stopwords = set(lex["ner_stopwords"])
        self._person_titles = set(lex["person_titles"])
        self._role_nouns = set(lex["role_nouns"])
        self._leader_titles = set(lex["leader_titles"])
        self._authority_heads = set(lex["authority_name_heads"])
        self._legal_suffixes = set(lex["legal_suffixes"])
        self._company_words = set(lex["company_name_words"])
        self._exchanges = set(lex["ticker_exchanges"])
        self._number_endings = tuple(lex["name_number_endings"])
        # words that never make an actor, each list on its own: a name all of whose words are
        # in one of them ("Industrie", "l'OPA", "Aller au contenu principal")
        self._junk_lists = tuple(frozenset(lex[name]) for name in ("portfolio_words", "document_words",
                                                                    "furniture_words"))
        self._index_names = set(lex["index_names"])
        self._exchange_words = set(lex["exchange_words"])
        self._product_nouns = set(lex["product_nouns"])
        self._number_units = set(lex["scale_words"]) | {w.split("=")[0] for w in lex["currency_units"]}
        self._products: set[tuple[int, int]] = set()  # (paragraph, token) of product names, per find()
        self._generic_government = set(lex["generic_government_nouns"])
        self._generics: list[tuple[int, int, int]] = []  # (paragraph, start, end) of "l'État", per find()
        self._bodies: list[tuple[Mention, Institution]] = []  # descriptions of public bodies, per find()
        self._deal_words = set(lex["bid_nouns"]) | set(lex["merger_nouns"]) | set(lex["deal_nouns"])
        self._person_refs = [tuple(tokenize(w.lower())) for w in lex["person_refer_nouns"]]
        self._refer_nouns = [tuple(tokenize(w.lower())) for w in lex["refer_nouns"]]
        self._refer_lemmas = {w for w in lex["refer_nouns"] if " " not in w}
        # words an article may put before a name that do not describe what the actor is
        # ("l'offre Valmont", "le titre Kesterel")
        self._not_descriptions = {w for name in ("bid_nouns", "deal_nouns", "sale_nouns", "merger_nouns",
                                                 "stake_nouns", "role_nouns", "person_titles")
                                  for w in lex[name]}
        self._person_refs_by_first = _by_first_word(self._person_refs)
        self._refer_nouns_by_first = _by_first_word(self._refer_nouns)
        self._words: dict[int, tuple[list[str], list[str]]] = {}  # id(doc) -> (lower, lemma), per find()
        self._close_names: dict[str, str | None] = {}  # folded text -> gazetteer name it misspells
        self._pronouns_and_possessives = set(lex["personal_pronouns"]) | set(lex["possessive_determiners"])
        self._adjective_place = {
            adj: place.name for place in rulebook.places for adj in place.adjectives
        }
        # surface token tuple (lower case) -> (entry, kind, needs capital)
        self._phrases: dict[tuple[str, ...], tuple[GazetteerEntry, str, bool]] = {}
        self._fuzzy: dict[str, GazetteerEntry] = {}
        self.refs: dict[str, ActorRef] = {}
        for entry in rulebook.gazetteer:
            ref = ActorRef(slugify(entry.name), entry.name, entry.type, entry)
            self.refs[entry.name] = ref
            for form, kind in (
                [(entry.name, "alias")]
                + [(a, "alias") for a in entry.aliases]
                + [(m, "metonym") for m in entry.metonyms]
                + [(d, "description") for d in entry.descriptions]
            ):
                tokens = tuple(t.lower() for t in tokenize(form))
                capital = form[:1].isupper()
                if tokens in self._phrases:  # one lower-case listing of a form lifts the capital check
                    first_entry, first_kind, first_capital = self._phrases[tokens]
                    self._phrases[tokens] = (first_entry, first_kind, first_capital and capital)
                else:
                    self._phrases[tokens] = (entry, kind, capital)
                if kind == "alias" and len(form) >= _FUZZY_MIN_LENGTH:
                    self._fuzzy[fold(form)] = entry
        self._max_phrase = max((len(k) for k in self._phrases), default=1)
        self._known_forms = known_forms()
        adjectives = [a for place in rulebook.places for a in place.adjectives]
        self.institutions = InstitutionReader(rulebook, tokenize, lemmas_by_form(adjectives))
        # string ids of the words that can start a reference to an actor, in any inflection
        self._reference_forms = inflected_forms(
            [w for words in (self._refer_nouns, self._person_refs) for phrase in words for w in phrase[:1]]
            + [title.split()[0] for title in self._leader_titles]
            + self.institutions.head_words()) | {
            get_string_id(w.split()[0]) for w in self._pronouns_and_possessives} | {
            get_string_id(_head_word(phrase, self._determiners)) for phrase in self._phrases}

    # -- public -------------------------------------------------------------------

    def is_name_like(self, token: Token) -> bool:
        """A capitalised word that is not a function word: a name, or the start of one.

        Works on bare tokens (before tagging), to decide what to parse."""
        return (self._name_shaped(token.text) and not token.is_stop and not token.is_punct
                and not token.like_num and token.lower_ not in self._stopwords)

    def is_listed(self, token: Token) -> bool:
        """A word that is by itself a name in the gazetteer ("Pékin", "Reuters")."""
        return (token.lower_,) in self._phrases

    def may_mention_actor(self, tokens: Span) -> bool:
        """Whether a sentence could name or refer to an actor, judged on bare tokens.

        Errs on the side of yes: a name-like word, a pronoun or possessive, or the head
        word of a listed name, description or reference."""
        return any(t.lower in self._reference_forms or self.is_name_like(t) for t in tokens)

    def find(self, paragraphs: list[Paragraph]) -> ArticleMentions:
        found = ArticleMentions()
        # every token's lower-case form and lemma, read once: spaCy builds a Token per access
        self._words = {id(p.doc): ([t.lower_ for t in p.doc], [t.lemma_.lower() for t in p.doc])
                       for p in paragraphs}
        self._bodies = []
        for p, paragraph in enumerate(paragraphs):
            self._institutions(p, paragraph, found)
            self._gazetteer(p, paragraph, found)
        self._courts_named_by_seat_alone(found)
        # names the article writes on their own, not only joined to another by a hyphen
        self._alone = {t.text for paragraph in paragraphs for t in paragraph.doc
                       if t.text[:1].isupper() and not _hyphen_next_to(t)}
        self._products = {(p, i) for p, paragraph in enumerate(paragraphs)
                          for i in self._product_names(paragraph.doc)}
        self._generics = []
        for p, paragraph in enumerate(paragraphs):
            self._candidates(p, paragraph, found)
        self._same_actor_spelt_otherwise(found)
        self._settle_types(found)
        self._governments_of_leaders(paragraphs, found)
        self._generic_governments(found)
        self._metonyms_for_agencies(found)
        self._acronyms(paragraphs, found)
        self._same_company_without_its_company_word(found)
        self._propagate(paragraphs, found)
        self._towns_are_no_actors(paragraphs, found)
        # what the article says of its named actors anywhere ("du géant suisse X" in the last
        # paragraph) is known before any description is resolved
        for p, paragraph in enumerate(paragraphs):
            self._references(p, paragraph, found, learn_only=True)
        # (after learning: the nationalities descriptions gave to the article's companies)
        self._generic_nouns(paragraphs, found)
        for p, paragraph in enumerate(paragraphs):
            self._references(p, paragraph, found)
        found.mentions.sort(key=lambda m: (m.para, m.start))
        return found

    def place_of(self, token: Token) -> str | None:
        """The place a token names or qualifies ("américaines" -> "États-Unis")."""
        lemma = token.lemma_.lower()
        if lemma in self._adjective_place:
            return self._adjective_place[lemma]
        lower = token.text.lower()
        for place in self.rulebook.places:
            if lower in (f.lower() for f in place.forms) or lower in place.adjectives:
                return place.name
        return None

    def place_of_span(self, tokens: list[Token]) -> str | None:
        if not tokens:
            return None
        doc = tokens[0].doc
        text = doc[tokens[0].i : tokens[-1].i + 1].text  # as written: "Royaume-Uni", "Nouvelle-Zélande"
        return self.place_of_span_text(text)

    # -- public bodies named by description ---------------------------------------

    def _institutions(self, p: int, paragraph: Paragraph, found: ArticleMentions) -> None:
        """"le département américain de la Justice", "le ministère des Finances japonais"."""
        doc = paragraph.doc
        lowers, lemmas = self._words[id(doc)]
        texts = [t.text for t in doc]
        capitals = [text[:1].isupper() for text in texts]
        i = 0
        while i < len(doc):
            body = self.institutions.read(lowers, lemmas, capitals, i)
            if body is None:
                i += 1
                continue
            if doc[i].pos_ == "VERB":
                i += 1  # a head word that is a verb form here ("X juge du ..."): no body
                continue
            entry = self.institutions.actor_entry(body, texts)
            self._add(found, p, paragraph, body.start, body.end,
                      self.refs.get(entry.name) or ActorRef(slugify(entry.name), entry.name, entry.type, entry), NAME)
            self._bodies.append((found.mentions[-1], body))
            i = body.end

    def _court_keys(self) -> set[str]:
        """The courts the article describes (no court is a government)."""
        return {mention.actor.key for mention, body in self._bodies if body.kind == "court"}

    def _courts_named_by_seat_alone(self, found: ArticleMentions) -> None:
        """"la Cour de la chancellerie du Delaware", then "le tribunal du Delaware": a court
        named by its seat alone is the one court of that seat the article names in full."""
        full: dict[str, set[str]] = {}
        actors: dict[str, ActorRef] = {}
        for mention, body in self._bodies:
            if body.kind == "court" and body.seat is not None and body.domain is not None:
                full.setdefault(body.seat, set()).add(mention.actor.key)
                actors[mention.actor.key] = mention.actor
        for mention, body in self._bodies:
            courts = full.get(body.seat or "", set()) if body.kind == "court" and body.domain is None else set()
            if len(courts) == 1:
                mention.actor = actors[next(iter(courts))]

    # -- gazetteer ----------------------------------------------------------------

    def _gazetteer(self, p: int, paragraph: Paragraph, found: ArticleMentions) -> None:
        doc = paragraph.doc
        lowers = [t.lower_ for t in doc]
        i = 0
        while i < len(doc):
            hit = None
            for length in range(min(self._max_phrase, len(doc) - i), 0, -1):
                key = tuple(lowers[i : i + length])
                if key in self._phrases:
                    entry, kind, needs_capital = self._phrases[key]
                    if needs_capital and not doc[i].text[:1].isupper():
                        continue
                    if kind == "metonym" and i > 0 and lowers[i - 1] in self._locatives:
                        continue
                    if kind == "metonym" and i + length < len(doc) and doc[i + length].text[:1].isupper() \
                            and doc[i + length].is_alpha and doc[i + length].lower_ not in self._stopwords:
                        continue  # the capital opens a longer name ("the Washington Post")
                    hit = (length, entry, kind)
                    break
            if hit is None or any(found.at(p, k) is not None for k in range(i, i + hit[0])):
                i += 1
                continue
            length, entry, kind = hit
            self._add(found, p, paragraph, i, i + length, self.refs[entry.name],
                      NAME if kind != "description" else REFERENCE)
            if kind == "metonym":
                found.mentions[-1].metonym = True
            i += length

    # -- named-entity candidates --------------------------------------------------

    def _candidates(self, p: int, paragraph: Paragraph, found: ArticleMentions) -> None:
        doc = paragraph.doc
        for ent in doc.ents:
            for start, end in self._free_runs(p, ent.start, ent.end, found):
                self._candidate(p, paragraph, start, end, ent.label_, found)
        # Capitalised runs the NER missed ("Unilever", "General Atlantic"): French capitalises
        # proper nouns only, so a capital word that does not open a sentence is a name.
        # They stay weak (used only by rules) unless the article uses them twice.
        i = 0
        while i < len(doc):
            if self._capitalised(doc, i) and found.at(p, i) is None:
                j = i
                while j < len(doc) and found.at(p, j) is None and (
                    self._capitalised(doc, j)
                    # "Royaume-Uni", "AT&T": a joiner between two capitalised words
                    or (doc[j].text in ("&", "-") and j + 1 < len(doc) and doc[j + 1].text[:1].isupper())
                ):
                    j += 1
                self._candidate(p, paragraph, i, j, "PROPN", found)
                i = max(j, i + 1)
            else:
                i += 1

    def _capitalised(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        if not self._name_shaped(token.text) or token.is_punct or token.like_num:
            return False
        if token.lower_ in self._stopwords:
            return False
        if token.pos_ in ("AUX", "PRON", "DET", "ADP", "CCONJ", "SCONJ"):
            return self._mistagged_name(token)
        opens_sentence = token.is_sent_start or i == 0 or (doc[i - 1].is_punct and doc[i - 1].text in ".!?«\"'—:-")
        # mid-sentence, a capital beats the tagger: "Unilever" is tagged as a verb in -er
        return not opens_sentence or token.pos_ == "PROPN"

    @staticmethod
    def _name_shaped(text: str) -> bool:
        """Written as a name: a capital first, or a capital after a lower-case letter or a
        digit that opens the word ("eBrisk", "3Dvision")."""
        if text[:1].isupper():
            return True
        return len(text) >= 3 and (text[0].islower() or text[0].isdigit()) and text.isalnum() \
            and any(c.isupper() for c in text[1:3]) and any(c.islower() for c in text[2:])

    def _mistagged_name(self, token: Token) -> bool:
        """A capitalised word the tagger calls a pronoun or a determiner ("Atos" opening a
        sentence) but that is no French word: neither a stop word nor a form the model's
        lemmatizer knows."""
        return token.text[:1].isupper() and not token.is_stop and token.lower not in self._known_forms

    @staticmethod
    def _free_runs(p: int, start: int, end: int, found: ArticleMentions) -> list[tuple[int, int]]:
        """Parts of an entity not already covered by a mention (a title swallowed with the name)."""
        runs, run_start = [], None
        for i in range(start, end):
            if found.at(p, i) is None:
                run_start = i if run_start is None else run_start
            elif run_start is not None:
                runs.append((run_start, i))
                run_start = None
        if run_start is not None:
            runs.append((run_start, end))
        return runs

    def _candidate(self, p: int, paragraph: Paragraph, start: int, end: int, label: str,
                   found: ArticleMentions) -> None:
        doc = paragraph.doc
        # Drop leading determiners, titles and punctuation the model folds into names.
        while start < end and (
            doc[start].lower_ in self._determiners
            or doc[start].lower_ in self._person_titles
            or doc[start].lower_ in self._role_nouns
            or doc[start].is_punct
            or not doc[start].text[:1].isalnum()
        ):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in self._determiners
                               or self._is_ticker(doc[end - 1])
                               or (doc[end - 1].is_stop and doc[end - 1].text.islower())):
            # "Banca Kesterel BKS.MI": the quote is no part of the name, nor a small word
            # the recogniser runs on into ("X par" in "the purchase of X by Y")
            end -= 1
        if start > 0 and found.at(p, start - 1) is None and self._opens_name(doc[start - 1], doc[start]):
            start -= 1  # "3G Capital", "21st Aventure Media"
        if start >= end or end - start > _MAX_NAME_TOKENS:
            return
        if any((p, k) in self._products for k in range(start, end)):
            return  # "les marques Ostral et Vinea": products, not actors
        pair = self._pair_hyphen(doc, start, end)
        if pair is not None:
            # "the A-B merger": two companies the article also names apart
            self._candidate(p, paragraph, start, pair, label, found)
            self._candidate(p, paragraph, pair + 1, end, label, found)
            return
        span = doc[start:end]
        text = span.text
        if label != "PROPN" and self._ends_on_name_number(doc, start, end):
            label = "MISC" if label == "LOC" else label  # "Canal 9" is no place
        numbers = [k for k in range(start, end) if doc[k].like_num]
        allowed = {start} if self._opens_name(doc[start], doc[start + 1] if start + 1 < end else None) else set()
        if label != "PROPN" and self._ends_on_name_number(doc, start, end):
            allowed.add(end - 1)
        shape = text if start not in allowed or end - start == 1 else doc[start + 1 : end].text
        if not self._name_shaped(shape) or text.lower() in self._stopwords or set(numbers) - allowed:
            return
        if " ".join(t.lower_ for t in span) in self._generic_government:
            self._generics.append((p, start, end))  # "l'État": resolved once the article is read
        if self._never_an_actor(doc, start, end):
            return
        if all(t.lower_ in self._stopwords or t.is_punct for t in span):
            return
        if end - start == 1 and end < len(doc) and doc[end].text == ":" and span[0].lower in self._known_forms \
                and (start == 0 or doc[start - 1].is_punct):
            return  # "Conclusion : ...", "Résultat : ...": a French word used as a label
        if any((t.pos_ in ("AUX", "PRON") and not self._mistagged_name(t))
               or (t.pos_ == "VERB" and not self._name_shaped(t.text)) for t in span):
            return
        before = [t.lower_ for t in doc[max(start - 2, 0) : start]]
        if len(before) == 2 and before[0].startswith(tuple(self._hq_markers)) and before[1] in self._locatives:
            return  # "basée à Redmond": a place
        if self.place_of_span(list(span)) or (len(span) == 1 and self.place_of(span[0])):
            return
        actor = self._link(text, span, label, found, p, paragraph)
        if actor is None:
            return
        # a legal suffix ("Brival & Co", "Tarvex SA") is as sure a sign of a company as the recogniser
        suffixed = end - start > 1 and doc[end - 1].lower_ in self._legal_suffixes
        kind = CANDIDATE if label in ("PER", "ORG") or actor.entry or actor.type == "Person" or suffixed else WEAK
        if label == "LOC" and actor.entry is None and actor.type != "Person":
            return
        self._add(found, p, paragraph, start, end, actor, kind)

    def _opens_name(self, token: Token, following: Token | None) -> bool:
        """A number that opens a name: glued to the capital that follows ("3G"), written with
        capitals ("4D") or as an English ordinal ("21st") before a capitalised word."""
        text = token.text
        if not text[:1].isdigit() or following is None or not following.text[:1].isupper():
            return False
        if text.isdigit():
            return not token.whitespace_ and len(following.text) <= 3 and following.text.isupper()
        letters = text.lstrip("0123456789")
        return text[: len(text) - len(letters)].isdigit() and letters.isalpha() and (
            letters.isupper() or letters in self._number_endings)

    def _ends_on_name_number(self, doc: Doc, start: int, end: int) -> bool:
        """A recognised name ends on a short number after a name word ("Canal 9", "Radio 7"),
        not on a quantity ("Norvia 2 %", "2 milliards")."""
        last = doc[end - 1]
        if end - start < 2 or not last.text.isdigit() or len(last.text) > 3:
            return False
        if not self._name_shaped(doc[end - 2].text) or doc[end - 2].text[:1].isdigit():
            return False
        after = doc[end].lower_ if end < len(doc) else ""
        return after not in self._number_units and after != "%" and not (end < len(doc) and doc[end].like_num)

    def _never_an_actor(self, doc: Doc, start: int, end: int) -> bool:
        """Words that look like a name but never name an actor: a ministry's portfolio
        ("Industrie"), a deal document ("OPA"), page furniture ("Partager"), a stock index
        ("CAC 40"), or an exchange where shares trade ("à la Bourse de Paris", "(NYSE: VLM)")."""
        words = [t.lower_.replace("’", "'") for t in doc[start:end]]
        phrase = " ".join(words)
        if any(phrase in junk or all(w in junk for w in words) for junk in self._junk_lists):
            return True
        if words[0] in self._index_names or " ".join(words[:2]) in self._index_names:
            return True
        if self._dateline_place(doc, start, end):
            return True
        if words[0] in self._exchange_words or " ".join(words[:2]) in self._exchange_words:
            k = start - 1
            if k >= 0 and doc[k].lower_ in self._determiners:
                k -= 1
            if k >= 0 and doc[k].lower_ in self._locatives:
                return True
            if start > 0 and doc[start - 1].text == "(" and end < len(doc) and doc[end].text == ":":
                return True
        return False

    @staticmethod
    def _dateline_place(doc: Doc, start: int, end: int) -> bool:
        """"SUNNYVALE (Californie) -", "LYON, 4 mars (AFP) -": the capitals that open wire copy
        name the place it was filed from, not an actor."""
        if start != 0 or end >= len(doc) or not all(t.text.isupper() or not t.is_alpha for t in doc[start:end]):
            return False
        dashes = ("-", "–", "—")
        after = doc[end].text
        # (kg.nlp rewrites a dash between spaces as a comma for the parser: "PARIS – Le groupe"
        # reaches here as "PARIS , Le groupe", which a capital after the comma tells apart
        # from "LVMH, le numéro un du luxe")
        opens_lede = after == "," and end + 1 < len(doc) and doc[end + 1].text[:1].isupper() \
            and doc[end + 1].pos_ == "DET"
        if after in dashes or opens_lede:
            return True
        if after == "(":  # "(Californie) -", "(AFP) -", not a ticker such as "(MC.PA) a annoncé"
            close = next((t.i for t in doc[end : end + 6] if t.text == ")"), None)
            return close is not None and close + 1 < len(doc) and doc[close + 1].text in (*dashes, ",")
        # "PARIS, 4 mars", "PARIS, le 4 mars"
        return after == "," and end + 2 < len(doc) and (doc[end + 1].like_num or doc[end + 2].like_num)

    def _product_names(self, doc: Doc) -> set[int]:
        """Tokens of the names a product noun introduces, with the list that follows it
        ("le jeu Dragon Realm", "les marques Ostral, Vinea et Pomelo")."""
        lowers, lemmas = self._words[id(doc)]
        found: set[int] = set()
        for i in range(len(doc) - 1):
            if lemmas[i] not in self._product_nouns and lowers[i] not in self._product_nouns:
                continue
            j = i + 1
            while j < len(doc) and self._name_shaped(doc[j].text) and not doc[j].is_punct:
                k = j
                while k < len(doc) and self._name_shaped(doc[k].text) and not doc[k].is_punct:
                    found.add(k)
                    k += 1
                # the next member of a list: ", Y", "et Y", "et de Y"
                j = k
                if j < len(doc) and lowers[j] in (",", "et", "ou"):
                    j += 1
                    if j < len(doc) and lowers[j] in self._contracted | {"de", "d'"}:
                        j += 1
                else:
                    break
        return found

    def _pair_hyphen(self, doc: Doc, start: int, end: int) -> int | None:
        """The hyphen that joins the two parties of a deal named by them ("the A-B merger", a
        headline opening "A-B:"), when the article also writes each of them alone. A name
        never alone ("Rolls-Royce") is one name, and so is a group named after its members
        when it acts ("A-B holds ...")."""
        k = start - 1
        while k >= 0 and doc[k].pos_ == "ADJ":
            k -= 1
        after_deal_word = k >= 0 and doc[k].lemma_.lower() in self._deal_words
        headline_label = (start == 0 or (doc[start - 1].is_sent_start and doc[start - 1].is_punct)) \
            and end < len(doc) and doc[end].text == ":"
        if not (after_deal_word or headline_label):
            return None
        for k in range(start + 1, end - 1):
            if doc[k].text == "-" and doc[k - 1].text in self._alone and doc[k + 1].text in self._alone:
                return k
        return None

    def _is_ticker(self, token: Token) -> bool:
        code, dot, exchange = token.text.rpartition(".")
        return bool(dot) and code.isupper() and code.isalnum() and len(code) <= 6 \
            and exchange.lower() in self._exchanges and exchange.isupper()

    def _link(self, text: str, span: Span, label: str, found: ArticleMentions, p: int,
              paragraph: Paragraph) -> ActorRef | None:
        words = text.split()
        # a legal suffix, a company word, "&" or a digit: no person is written so
        company_cue = any(w.lower() in self._company_words or w.lower() in self._legal_suffixes
                          or w == "&" for w in words) or any(c.isdigit() for c in text)
        while len(words) > 1 and words[-1].lower() in self._legal_suffixes:
            # "Valmont Inc" is "Valmont", and so is "Valmont Holdings" or "Valmont & Co": the
            # same actor as the bare name, in any article
            rest = " ".join(words[:-1]).rstrip(",&").rstrip()
            if not rest or self.place_of_span_text(rest) is not None:
                break  # "Qatar Holdings" is not "Qatar"
            text, words = rest, rest.split()
            while len(span) > 1 and span[-1].text.lower() in self._legal_suffixes | {"&", ","}:
                span = span[: len(span) - 1]
        folded = fold(text)
        # a misspelt gazetteer name ("Donald Tump")
        if len(folded) >= _FUZZY_MIN_LENGTH:
            if folded not in self._close_names:
                best = difflib.get_close_matches(folded, self._fuzzy, n=1, cutoff=_FUZZY_RATIO)
                self._close_names[folded] = self._fuzzy[best[0]].name if best else None
            if self._close_names[folded] is not None:
                return self.refs[self._close_names[folded]]
        previous_token = span.doc[span.start - 1] if span.start > 0 else None
        before = found.at(p, span.start - 1) if span.start > 0 else None
        titled = previous_token is not None and (
            previous_token.lower_ in self._person_titles
            or previous_token.lower_ in self._role_nouns
            # a title of office, then the holder's name
            or (before is not None and before.actor.type == "Government")
        )
        # A lone capitalised word tagged PER is more often a company ("Figma") than a
        # person introduced without first name or title.
        org_cue = company_cue or (previous_token is not None and previous_token.lemma_.lower() in self._refer_lemmas) \
            or self._company_apposition(span.doc, span.end)
        is_person = not org_cue and (
            (label == "PER" and (len(span) >= 2 or titled))
            or (titled and len(span) <= 3)
            or (label == "LOC" and titled and len(span) >= 2)
        )
        words = folded.split()
        if label == "PROPN":
            # a capitalised run the recogniser did not tag (or did not see): a name the
            # article already used is that actor again, with its type
            for m in found.mentions:
                if m.kind != WEAK and fold(m.actor.name) == folded:
                    return m.actor
        # a surname or a first name alone, after the full name in the same article
        for m in found.mentions:
            if m.kind == WEAK:
                continue
            name_words = fold(m.actor.name).split()
            if m.actor.type == "Person":
                if len(words) == 1 and words[0] in name_words:
                    return m.actor
            elif not is_person and len(words) < len(name_words) and _is_subsequence(words, name_words) \
                    and m.actor.type != "Media":
                # "Couche-Tard" after "Alimentation Couche-Tard"; a channel or a paper is named
                # in full, so "Sky" is not "Sky News"
                return m.actor
            elif not is_person and len(words) == 1 and len(name_words) >= 2 and m.actor.type != "Media" \
                    and _contracts(words[0], name_words):
                # "PotashCorp" after "Potash Corporation of Saskatchewan"
                return m.actor
        if is_person:
            return ActorRef(slugify(text), text, "Person")
        if span[0].lower_ in self._authority_heads:
            # "Tribunal de l'Union européenne", "Cour de la chancellerie du Delaware"
            return ActorRef(slugify(text), text, "Government")
        return ActorRef(slugify(text), text, "Organization")

    def _company_apposition(self, doc: Doc, end: int) -> bool:
        """"Harlan Webb, le fabricant de jouets": the noun after the comma says what the
        name is."""
        if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in self._determiners:
            return False
        head = doc[end + 2]
        return (head.lemma_.lower() or head.lower_) in self._refer_lemmas or head.lower_ in self._refer_lemmas

    def _same_actor_spelt_otherwise(self, found: ArticleMentions) -> None:
        """Names the article spells in two ways for one actor: with and without a space
        ("Arcelor Vinter", "ArcelorVinter"), with a typo ("Kesterell Capital"), or as the
        initials of a longer name ("ABC" for "Alpha Beta Capital"), whichever comes first.
        The spelling used more often (or first) names the actor."""
        counts: dict[str, int] = {}
        unknown: dict[str, ActorRef] = {}
        for m in found.mentions:
            if m.actor.entry is None and m.actor.type in ("Organization", "Person"):
                unknown.setdefault(m.actor.key, m.actor)
                counts[m.actor.key] = counts.get(m.actor.key, 0) + (m.kind != WEAK)
        order = list(unknown)
        merged: dict[str, ActorRef] = {}

        def prefer(a: ActorRef, b: ActorRef) -> tuple[ActorRef, ActorRef]:
            """(kept, merged away)."""
            if (counts[b.key], -order.index(b.key)) > (counts[a.key], -order.index(a.key)):
                a, b = b, a
            return a, b

        squeezed: dict[str, ActorRef] = {}
        for actor in unknown.values():
            tight = fold(actor.name).replace(" ", "")
            other = squeezed.get(tight)
            if other is None:
                squeezed[tight] = actor
                continue
            kept, gone = prefer(other, actor)
            squeezed[tight] = kept
            merged[gone.key] = kept
        companies = [a for a in unknown.values() if a.key not in merged and a.type == "Organization"]
        for i, a in enumerate(companies):
            for b in companies[i + 1 :]:
                if a.key in merged or b.key in merged:
                    continue
                fa, fb = fold(a.name), fold(b.name)
                if min(len(fa), len(fb)) >= _FUZZY_MIN_LENGTH and len(fa.split()) == len(fb.split()) \
                        and fa[:1] == fb[:1] and difflib.SequenceMatcher(None, fa, fb).ratio() >= _FUZZY_RATIO:
                    kept, gone = prefer(a, b)
                    merged[gone.key] = kept
        for short in unknown.values():
            letters = short.name
            if not (3 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()) or short.key in merged:
                continue
            expansions = [a for a in unknown.values() if a.key != short.key and a.key not in merged
                          and a.type == "Organization" and letters.lower() in self._initials(a.name)]
            if len(expansions) == 1:
                merged[short.key] = expansions[0]
        if not merged:
            return

        def final(actor: ActorRef) -> ActorRef:
            while actor.key in merged:
                actor = merged[actor.key]
            return actor

        # a company under one spelling is a company under all of them
        companies_too = {final(a).key for a in unknown.values() if a.type == "Organization"}
        for m in found.mentions:
            if m.actor.key not in unknown:
                continue
            target = final(m.actor)
            if target.type == "Person" and target.key in companies_too:
                target = ActorRef(target.key, target.name, "Organization", target.entry)
            m.actor = target

    def _initials(self, name: str) -> set[str]:
        """The acronyms a name can be written as: the first letters of its capitalised words,
        with or without its trailing company words ("Alpha Beta Capital": "abc", "ab")."""
        words = [w for w in name.replace("-", " ").split() if w[:1].isupper()]
        forms = set()
        while len(words) >= 2:
            forms.add("".join(w[0] for w in words).lower())
            if words[-1].lower() not in self._company_words | self._legal_suffixes:
                break
            words = words[:-1]
        return forms

    def _national_governments(self, found: ArticleMentions, *, metonyms: bool = False) -> dict[str, ActorRef]:
        """The national governments the article names (not agencies or courts; by a capital
        such as "Ottawa" only when ``metonyms``)."""
        # a government is what reads as one ("le gouvernement brésilien", the gazetteer's
        # governments), or the government of a leader: not an agency or a court, even one the
        # gazetteer lists without saying whom it acts for
        known = {slugify(entry.name) for entry in self.institutions.governments.values()}
        known |= {mention.actor.key for mention, body in self._bodies if body.kind == "government"}
        known |= {key for keys in found.acting_for.values() for key in keys}
        return {m.actor.key: m.actor for m in found.mentions
                if m.actor.type == "Government" and m.kind != WEAK and (metonyms or not m.metonym)
                and m.actor.key in known}

    def _governments_of_leaders(self, paragraphs: list[Paragraph], found: ArticleMentions) -> None:
        """"l'administration Obama", "le gouvernement de Theresa May", "le gouvernement
        Berlusconi": the government the person leads, not the person. That is the government
        of the person's country (from the gazetteer), else the one national government the
        article names, else a government named as the article names it; the person stays an
        actor of its own, linked to it (``acting_for``)."""
        preps = {"de", "d'"} & set(self.rulebook.lexicons["institution_prepositions"])
        openers = self._determiners | self._contracted
        for m in list(found.mentions):
            if m.actor.type not in ("Person", "Organization") or m.metonym or (
                    m.actor.entry is not None and m.actor.type != "Person"):
                continue
            doc = paragraphs[m.para].doc
            lowers, lemmas = self._words[id(doc)]
            k, via_preposition = m.start - 1, False
            if k >= 0 and lowers[k] in preps:
                k, via_preposition = k - 1, True
            if k < 1 or not self.institutions.names_a_government(lowers[k], lemmas[k]) \
                    or lowers[k - 1] not in openers:
                continue
            # "du gouvernement de X" needs X to be a person ("le gouvernement du Brésil" is read
            # as a country's); "l'administration X" takes a name the recogniser left untyped
            if m.actor.type != "Person" and (via_preposition or m.kind not in (WEAK, CANDIDATE)
                                             or len(m.surface.split()) > 2):
                continue
            person = m.actor if m.actor.type == "Person" else ActorRef(m.actor.key, m.actor.name, "Person")
            government = self._government_led_by(person, found, doc[k : m.end].text)
            if government is None or government.key == person.key:
                continue
            for other in [o for o in found.mentions if o.actor.key == m.actor.key and o is not m]:
                other.actor = person
            found.remove(m)
            self._add(found, m.para, paragraphs[m.para], k, m.end, government, NAME)
            found.acting_for.setdefault(person.key, set()).add(government.key)
            found.linked[person.key] = person

    def _government_led_by(self, person: ActorRef, found: ArticleMentions, surface: str) -> ActorRef | None:
        entry = person.entry
        if entry is not None and entry.acts_for and entry.acts_for in self.refs \
                and self.refs[entry.acts_for].type == "Government":
            return self.refs[entry.acts_for]
        if entry is not None and entry.nationality:
            government = self.institutions.government_of(entry.nationality)
            return self.refs.get(government.name) or ActorRef(slugify(government.name), government.name,
                                                               "Government", government)
        named = self._national_governments(found, metonyms=True)
        if len(named) == 1:
            return next(iter(named.values()))
        name = surface[:1].upper() + surface[1:]
        return ActorRef(slugify(name), name, "Government")

    def _generic_governments(self, found: ArticleMentions) -> None:
        """"L'État", "le Gouvernement" written as names: the one national government the
        article names, if it names exactly one (otherwise the name stays as the recogniser
        read it)."""
        governments = self._national_governments(found)
        if len(governments) != 1:
            return
        government = next(iter(governments.values()))
        for p, start, end in self._generics:
            m = found.at(p, start)
            if m is not None and m.actor.entry is None and (m.start, m.end) == (start, end):
                old = m.actor.key
                for other in found.mentions:
                    if other.actor.key == old:
                        other.actor, other.kind = government, REFERENCE

    def _generic_nouns(self, paragraphs: list[Paragraph], found: ArticleMentions) -> None:
        """"le gouvernement", "l'exécutif", "l'État", "le régulateur" with nothing after them
        that says which: the body of this article they mean. A government is the nearest
        national government named before (a capital standing for it counts), else the one
        the article names, else that of the country all its companies of known nationality
        share; a regulator is the nearest agency named before, else the one the article
        names. Otherwise the noun is left unresolved; written as a name the recogniser took
        ("le Gouvernement", "le Conseil"), it stays an actor of this article alone."""
        kinds = dict(w.split("=", 1) for w in self.rulebook.lexicons["generic_nouns"])
        article_digest = hashlib.sha256("\n\n".join(p.doc.text for p in paragraphs).encode()).hexdigest()[:12]
        capitalised = set(self.rulebook.lexicons["generic_nouns_capitalised"])
        openers = self._determiners | self._contracted
        preps = set(self.rulebook.lexicons["institution_prepositions"])
        courts = self._court_keys()
        governments = self._national_governments(found, metonyms=True)
        agencies = {m.actor.key for m in found.mentions if m.actor.type == "Government" and m.kind != WEAK
                    and m.actor.key not in governments and m.actor.key not in courts}
        for p, paragraph in enumerate(paragraphs):
            doc = paragraph.doc
            lowers = self._words[id(doc)][0]
            for i in range(1, len(doc)):
                kind = kinds.get(lowers[i])
                if kind not in ("government", "regulator") or lowers[i - 1] not in openers \
                        or found.at(p, i) is not None:
                    continue
                if lowers[i] in capitalised and not doc[i].text[:1].isupper():
                    continue
                following = doc[i + 1] if i + 1 < len(doc) else None
                if following is not None and (lowers[i + 1] in preps or self.place_of(following) is not None
                                              or following.text[:1].isupper()):
                    continue  # "le gouvernement du ...", "l'État du Delaware", "l'exécutif européen"
                keys = governments if kind == "government" else agencies
                actor = self._nearest_before(found, p, i, keys) or self._only(found, keys)
                if actor is None and kind == "government":
                    actor = self._government_of_the_parties(found)
                if actor is not None:
                    self._add(found, p, paragraph, i - (lowers[i - 1] in self._determiners), i + 1,
                              actor, REFERENCE)
        # the same nouns written as names ("le Régulateur", "le Gouvernement", "le Conseil") that
        # the recogniser proposed: a regulator is resolved as above; a government only by
        # _generic_governments (the article's one government), since "l'État" is as often
        # the buyer of a stake as the state that regulates it; a board is its company's, which
        # the rules find (the target's board)
        generic = set(kinds) | set(self.rulebook.lexicons["generic_government_nouns"]) \
            | set(self.rulebook.lexicons["board_nouns"])
        for m in [m for m in found.mentions if m.actor.entry is None and fold(m.actor.name) in
                  {fold(w) for w in generic}]:
            regulator = kinds.get(m.actor.name.lower()) == "regulator"
            actor = (self._nearest_before(found, m.para, m.start, agencies) or self._only(found, agencies)) \
                if regulator else None
            if actor is not None:
                m.actor, m.kind = actor, REFERENCE
            else:
                # unresolved, it stays what the article says, as an actor of this article only:
                # its key carries the article's own text digest, so no two articles share it
                m.actor = ActorRef(f"{m.actor.key}--{article_digest}", m.actor.name, m.actor.type)

    @staticmethod
    def _nearest_before(found: ArticleMentions, p: int, i: int, keys) -> ActorRef | None:
        return next((m.actor for m in found.before(p, i) if m.actor.key in keys and m.kind != WEAK), None)

    @staticmethod
    def _only(found: ArticleMentions, keys) -> ActorRef | None:
        actors = {m.actor.key: m.actor for m in found.mentions if m.actor.key in keys and m.kind != WEAK}
        return next(iter(actors.values())) if len(actors) == 1 else None

    def _government_of_the_parties(self, found: ArticleMentions) -> ActorRef | None:
        countries = {m.actor.nationality or found.nationalities.get(m.actor.key) for m in found.mentions
                     if m.actor.type == "Organization" and m.kind != WEAK}
        countries.discard(None)
        if len(countries) != 1:
            return None
        entry = self.institutions.government_of(countries.pop())  # type: ignore[arg-type]
        return self.refs.get(entry.name) or ActorRef(slugify(entry.name), entry.name, "Government", entry)

    def _settle_types(self, found: ArticleMentions) -> None:
        """One type per name in an article: an organisation anywhere is an organisation,
        and the weak mentions of a name seen strongly elsewhere become strong."""
        strong: dict[str, ActorRef] = {}
        weak_counts: dict[str, int] = {}
        for m in found.mentions:
            if m.kind == WEAK:
                weak_counts[m.actor.key] = weak_counts.get(m.actor.key, 0) + 1
        for m in found.mentions:
            if m.kind == WEAK and weak_counts[m.actor.key] >= 2:
                m.kind = CANDIDATE
        for m in found.mentions:
            if m.kind == CANDIDATE and m.actor.entry is None:
                known = strong.get(m.actor.key)
                if known is None or (known.type == "Person" and m.actor.type == "Organization"):
                    strong[m.actor.key] = m.actor
        for m in found.mentions:
            if m.actor.entry is None and m.actor.key in strong:
                m.actor = strong[m.actor.key]
                if m.kind == WEAK:
                    m.kind = CANDIDATE

    def _metonyms_for_agencies(self, found: ArticleMentions) -> None:
        """"Londres maintient son veto" in an article about the CMA: the capital stands for
        the one agency of that government the article names."""
        named = {m.actor.key: m.actor for m in found.mentions if not m.metonym}
        for m in found.mentions:
            if not m.metonym:
                continue
            agencies = [a for a in named.values()
                        if a.entry and a.entry.acts_for == m.actor.name and a.type == "Government"]
            if len(agencies) == 1:
                m.actor = agencies[0]

    def _acronyms(self, paragraphs: list[Paragraph], found: ArticleMentions) -> None:
        """"Global Infrastructure Partners (GIP)": the acronym in brackets is the same actor;
        so is the code of a ticker in brackets, alone elsewhere ("Broadcom (AVGO.O)", "AVGO")."""
        for m in list(found.mentions):
            doc = paragraphs[m.para].doc
            k = m.end
            if k + 4 < len(doc) and doc[k].text == "(" and doc[k + 2].text == ":" and doc[k + 4].text == ")" \
                    and doc[k + 1].lower_ in self._exchange_words:
                k += 2  # "(NYSE: VLM)": the code after the exchange is the company's ticker
            if k + 2 < len(doc) and doc[k].text in ("(", ":") and doc[k + 2].text == ")" and doc[k + 1].text.isupper():
                inner = found.at(m.para, k + 1)
                if inner is not None and inner.actor.entry is None and m.actor.key != inner.actor.key:
                    old_key = inner.actor.key
                    for other in found.mentions:
                        if other.actor.key == old_key:
                            other.actor = m.actor
                            if other.kind == WEAK:
                                other.kind = m.kind
                elif inner is None:
                    found.add(Mention(m.para, k + 1, k + 2, paragraphs[m.para].offset + doc[k + 1].idx,
                                      paragraphs[m.para].offset + doc[k + 1].idx + len(doc[k + 1].text),
                                      doc[k + 1].text, m.actor, m.kind))
        codes = {m.surface.rpartition(".")[0]: m.actor for m in found.mentions
                 if self._is_ticker(paragraphs[m.para].doc[m.start]) and m.end - m.start == 1}
        for m in found.mentions:
            owner = codes.get(m.surface)
            if owner is not None and m.actor.entry is None and m.actor.key != owner.key:
                m.actor = owner
                if m.kind == WEAK:
                    m.kind = CANDIDATE

    def _same_company_without_its_company_word(self, found: ArticleMentions) -> None:
        """"Mellanox Technologies" then "Mellanox", "Teck Resources" and "Teck": the name
        without its trailing company words is the same company."""
        named = {m.actor.key: m.actor for m in found.mentions if m.actor.entry is None and m.kind != WEAK}
        named.update({m.actor.key: m.actor for m in found.mentions if m.actor.entry is None
                      and m.actor.key not in named})
        bare: dict[str, list[ActorRef]] = {}
        for actor in named.values():
            words = actor.name.split()
            k = len(words)
            while k > 1 and words[k - 1].lower() in self._company_words:
                k -= 1
            if 0 < k < len(words) and actor.type == "Organization":
                bare.setdefault(slugify(" ".join(words[:k])), []).append(actor)
        for short_key, longer in bare.items():
            if len(longer) != 1 or short_key not in named or named[short_key].type == "Government":
                continue  # two companies share the bare name: it is left alone
            for m in found.mentions:
                if m.actor.key == short_key:
                    m.actor = longer[0]

    def _propagate(self, paragraphs: list[Paragraph], found: ArticleMentions) -> None:
        """A name the article uses once as an actor is that actor everywhere in the article,
        even where the model did not tag it."""
        names: dict[tuple[str, ...], ActorRef] = {}
        shortened: dict[tuple[str, ...], set[str]] = {}
        for m in found.mentions:
            if m.kind in (NAME, CANDIDATE):
                doc = paragraphs[m.para].doc
                tokens = tuple(t.text for t in doc[m.start : m.end])
                names.setdefault(tokens, m.actor)
                bare = tokens[: len(m.actor.name.split())]
                if m.actor.entry is None and bare != tokens and " ".join(bare) == m.actor.name:
                    names.setdefault(bare, m.actor)  # "Brival" after "Brival & Co"
                if m.actor.entry is None and len(tokens) > 1:
                    # "Couche-Tard" for "Alimentation Couche-Tard", "Musk" for "Elon Musk"
                    for part in (tokens[1:], tokens[:1], tokens[-1:]) if len(tokens) == 2 else (tokens[1:],):
                        if self._usable_short_name(part):
                            shortened.setdefault(part, set()).add(m.actor.key)
        actors = {m.actor.key: m.actor for m in found.mentions}
        for part, keys in shortened.items():
            if len(keys) == 1 and part not in names:  # ambiguous short names are left alone
                names[part] = actors[next(iter(keys))]
        if not names:
            return
        longest = max(len(k) for k in names)
        for p, paragraph in enumerate(paragraphs):
            doc = paragraph.doc
            texts = [t.text for t in doc]
            i = 0
            while i < len(doc):
                hit = None
                for length in range(min(longest, len(doc) - i), 0, -1):
                    key = tuple(texts[i : i + length])
                    if key in names and all(found.at(p, k) is None and (p, k) not in self._products
                                            for k in range(i, i + length)):
                        hit = length
                        break
                if hit is None:
                    i += 1
                    continue
                self._add(found, p, paragraph, i, i + hit, names[tuple(texts[i : i + hit])], CANDIDATE)
                i += hit

    def _towns_are_no_actors(self, paragraphs: list[Paragraph], found: ArticleMentions) -> None:
        """"des actifs à Boston", "la société de Saskatoon": a town after a locative preposition,
        or after "de" behind a company noun, is a place or a seat, whatever the model tagged it
        (that seat may then name the company: see ``_seat_reference``)."""
        def as_place(m: Mention) -> bool:
            doc = paragraphs[m.para].doc
            k = m.start - 1
            while k >= 0 and doc[k].lower_ in self._determiners:
                k -= 1
            return k >= 0 and (doc[k].lower_ in self._town_prepositions or self._seat_after(doc, k))

        towns = [m for m in found.mentions if m.actor.entry is None and m.actor.type in ("Organization", "Person")
                 and countries_of_town(m.surface)]
        placed = [m for m in towns if as_place(m)]
        # a company named like a town ("Sabadell", "Nokia") is written elsewhere as a company:
        # only a name the article never uses otherwise is a place
        used_otherwise = {m.actor.key for m in found.mentions if m.kind != WEAK and m not in placed}
        for m in placed:
            if m.actor.key not in used_otherwise:
                found.remove(m)

    def _seat_after(self, doc: Doc, k: int) -> bool:
        """Whether token k is the "de" of a company noun's seat ("le producteur d'engrais de X")."""
        if doc[k].lower_ not in ("de", "d'"):
            return False
        return any(self._refer_noun_at(doc, j) for j in range(max(0, k - 4), k))

    def _seat_reference(self, doc: Doc, p: int, end: int, found: ArticleMentions) -> tuple[str, str | None, int] | None:
        """"le groupe de Leverkusen": the town a company noun is "de", its country's place
        name (from places.toml), and where the phrase ends."""
        if end + 1 >= len(doc) or doc[end].lower_ not in ("de", "d'"):
            return None
        for length in (3, 2, 1):
            words = doc[end + 1 : end + 1 + length]
            if len(words) < length or not all(t.text[:1].isupper() or t.text == "-" for t in words):
                continue
            if any(found.at(p, t.i) is not None for t in words):
                return None  # a name the article uses for an actor: "le groupe de Vincent Bolloré"
            countries = countries_of_town(words.text)
            if countries:
                place = next((pl.name for pl in self.rulebook.places if pl.iso == countries[0]), None)
                return words.text, place, end + 1 + length
        return None

    def _usable_short_name(self, tokens: tuple[str, ...]) -> bool:
        text = " ".join(tokens)
        return (
            len(text) >= 3
            and text[:1].isupper()
            and text.lower() not in self._stopwords
            and not any(t.lower() in self._determiners for t in tokens)
            and self.place_of_span_text(text) is None
        )

    def place_of_span_text(self, text: str) -> str | None:
        lowered = text.lower()
        for place in self.rulebook.places:
            if lowered in (f.lower() for f in place.forms) or lowered in place.adjectives:
                return place.name
        return None

    # -- descriptive references ---------------------------------------------------

    def _references(self, p: int, paragraph: Paragraph, found: ArticleMentions, *,
                    learn_only: bool = False) -> None:
        doc = paragraph.doc
        openers = self._determiners | self._contracted
        for i, token in enumerate(doc):
            if token.lower_ not in openers or found.at(p, i) is not None:
                continue
            j = i + 1
            while j < len(doc) and doc[j].pos_ == "ADJ" and self.place_of(doc[j]) is None:
                j += 1  # "la populaire application"
            if j < len(doc) and doc[j].lemma_.lower() in self._leader_titles:
                if not learn_only:
                    self._title_reference(p, paragraph, i, j, found)
                continue
            person_noun = self._phrase_at(doc, j, self._person_refs_by_first)
            if person_noun is not None:
                if not learn_only:
                    self._person_reference(p, paragraph, i, j + len(person_noun), found)
                continue
            noun = self._refer_noun_at(doc, j) or self._own_description_at(doc, j, found, learn_only)
            if noun is None:
                continue
            end = j + len(noun)
            nationality, hq = None, None
            # the model tags "français" as a noun as often as an adjective
            while end < len(doc) and (doc[end].pos_ == "ADJ" or (
                    doc[end].text.islower() and self.place_of(doc[end]) is not None)):
                nationality = nationality or self.place_of(doc[end])
                end += 1
            markers = tuple(self._hq_markers)
            if end + 2 < len(doc) + 1 and end < len(doc) and doc[end].lower_.startswith(markers):
                if end + 1 < len(doc) and doc[end + 1].lower_ == "à" and end + 2 < len(doc):
                    hq = doc[end + 2].text
                    end += 3
            elif end + 3 < len(doc) and doc[end].lower_ == "de" and doc[end + 1].pos_ in ("NOUN",):
                # "la société de logiciels basée à Redmond"
                k = end + 2
                if k + 2 < len(doc) + 1 and k < len(doc) and doc[k].lower_.startswith(markers) \
                        and k + 2 < len(doc) and doc[k + 1].lower_ == "à":
                    hq = doc[k + 2].text
                    end = k + 3
            seat = self._seat_reference(doc, p, end, found) if hq is None else None
            if seat is not None:
                hq, nationality, end = seat[0], nationality or seat[1], seat[2]
            if any(found.at(p, k) is not None for k in range(i, end)):
                continue
            named = self._named_after(doc, p, end, found)
            if named is not None:
                # "le groupe québécois Alimentation Couche-Tard": the name is right there
                if nationality is not None and named.actor.entry is None:
                    found.nationalities.setdefault(named.actor.key, nationality)
                if named.start == end and named.actor.type == "Organization":
                    found.described_as.setdefault(" ".join(noun), set()).add(named.actor.key)
                continue
            if learn_only:
                continue
            if token.lower_ in self._contracted and seat is None and (
                    nationality is not None or len(found.described_as.get(" ".join(noun), ())) != 1):
                continue  # "du réassureur" only when the article called one actor so
            antecedent = self._antecedent(found, p, i, " ".join(noun), nationality, hq)
            if antecedent is None and seat is not None and nationality is not None:
                # a seat no listed actor has: the one company the article gives that town's
                # country; with two such companies (or none), which one is not said
                same_country = {m.actor.key: m.actor for m in found.mentions
                                if m.kind != WEAK and m.actor.type == "Organization"
                                and (m.actor.nationality or found.nationalities.get(m.actor.key)) == nationality}
                antecedent = next(iter(same_country.values())) if len(same_country) == 1 else None
            if antecedent is not None:
                self._add(found, p, paragraph, i, end, antecedent, REFERENCE)

    def _own_description_at(self, doc: Doc, j: int, found: ArticleMentions,
                            learn_only: bool) -> tuple[str, ...] | None:
        """A noun the article itself puts before a name ("le réassureur X"): any common noun
        while learning, afterwards only one the article has used so."""
        if j >= len(doc):
            return None
        # (a sentence with no rule trigger is not tagged: there a lower-case word still counts)
        untagged = not doc[j].pos_ and doc[j].text.isalpha() and doc[j].text.islower()
        if doc[j].pos_ != "NOUN" and not (learn_only and untagged):
            return None
        lemma = doc[j].lemma_.lower() or doc[j].lower_
        if lemma in self._not_descriptions or doc[j].lower_ in self._not_descriptions:
            return None
        return (lemma,) if learn_only or lemma in found.described_as else None

    @staticmethod
    def _named_after(doc: Doc, p: int, end: int, found: ArticleMentions) -> Mention | None:
        """The name that a descriptive phrase introduces, if one follows it directly
        ("le fabricant américain de cartes graphiques Nvidia")."""
        k = end
        while k < len(doc) and k - end <= 6:
            m = found.at(p, k)
            if m is not None:
                return m
            if doc[k].pos_ not in ("ADP", "NOUN", "ADJ", "DET") or doc[k].is_punct:
                return None
            k += 1
        return None

    def _title_reference(self, p: int, paragraph: Paragraph, i: int, j: int,
                         found: ArticleMentions) -> None:
        """"le président américain", "le Président des États-Unis": the leader the article names."""
        doc = paragraph.doc
        end, place = j + 1, None
        if end < len(doc) and doc[end].pos_ == "ADJ":
            place = self.place_of(doc[end])
            end += 1
        elif end + 1 < len(doc) and doc[end].lower_ in ("de", "des", "du", "d'"):
            k = end + 1
            while k < len(doc) and doc[k].text[:1].isupper():
                k += 1
            place = self.place_of_span(list(doc[end + 1 : k]))
            end = k
        if place is None or any(found.at(p, k) is not None for k in range(i, end)):
            return
        if end < len(doc) and found.at(p, end) is not None:
            return  # the name follows the title: it is the mention
        leaders = [m for m in found.mentions
                   if m.actor.type == "Person" and m.actor.entry and m.actor.entry.acts_for
                   and m.actor.nationality == place and m.kind != WEAK]
        if leaders:
            before = [m for m in leaders if (m.para, m.start) < (p, i)]
            chosen = before[-1] if before else leaders[0]
            self._add(found, p, paragraph, i, end, chosen.actor, REFERENCE)

    def _phrase_at(self, doc: Doc, j: int, phrases: dict[str, list[tuple[str, ...]]]) -> tuple[str, ...] | None:
        """The longest phrase starting at token j, each word matching a form or a lemma."""
        lowers, lemmas = self._words[id(doc)]
        best = None
        if j >= len(lowers):
            return None
        for phrase in dict.fromkeys(p for first in (lowers[j], lemmas[j]) for p in phrases.get(first, ())):
            n = len(phrase)
            if j + n <= len(lowers) and (best is None or n > len(best)) and all(
                    w in (lowers[j + k], lemmas[j + k]) for k, w in enumerate(phrase)):
                best = phrase
        return best

    def _person_reference(self, p: int, paragraph: Paragraph, i: int, end: int, found: ArticleMentions) -> None:
        """"le milliardaire", "le patron de Tesla": the person the article names who fits.

        With "de X", only a person named close to X elsewhere in the article will do."""
        doc = paragraph.doc
        if any(found.at(p, k) is not None for k in range(i, end)):
            return
        if end < len(doc) and found.at(p, end) is not None and found.at(p, end).actor.type == "Person":
            return  # "le patron Elon Musk": the name follows
        org = None
        if end + 1 < len(doc) and doc[end].lower_ in ("de", "d'", "du"):
            after = found.at(p, end + 1) or (found.at(p, end + 2) if end + 2 < len(doc) else None)
            org = after.actor.key if after is not None else None
        people: dict[str, list] = {}
        for m in found.mentions:
            if m.actor.type != "Person" or m.kind == WEAK or (m.actor.entry and m.actor.entry.acts_for):
                continue
            near_org = org is not None and any(
                o.para == m.para and o.actor.key == org and abs(o.start - m.start) <= 8 for o in found.mentions
            )
            entry = people.setdefault(m.actor.key, [0, False, m.actor])
            entry[0] += 1
            entry[1] = entry[1] or near_org
        chosen = [a for count, near, a in people.values() if near]
        if not chosen and people:
            # nobody named next to that company: the article's main person, if it clearly has one
            ranked = sorted(people.values(), key=lambda e: -e[0])
            if ranked[0][0] >= 2 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
                chosen = [ranked[0][2]]
        if chosen:
            self._add(found, p, paragraph, i, end, chosen[0], REFERENCE)

    def _refer_noun_at(self, doc: Doc, j: int) -> tuple[str, ...] | None:
        """The longest reference noun at token j, as written or as lemmas."""
        lowers, lemmas = self._words[id(doc)]
        best = None
        if j >= len(lowers):
            return None
        for noun in dict.fromkeys(
                p for first in (lowers[j], lemmas[j]) for p in self._refer_nouns_by_first.get(first, ())):
            n = len(noun)
            if (best is None or n > len(best)) and noun in (tuple(lowers[j : j + n]), tuple(lemmas[j : j + n])):
                best = noun
        return best

    def _antecedent(self, found: ArticleMentions, p: int, i: int, noun: str,
                    nationality: str | None, hq: str | None) -> ActorRef | None:
        inferred = found.nationalities
        government_nouns = set(self.rulebook.default_refer_nouns.get("Government", ()))
        generic = self.rulebook.default_refer_nouns.get("Organization", ())

        def fits(actor: ActorRef) -> bool:
            if actor.type in ("Media", "Person"):
                return False
            if hq is not None:
                return bool(actor.entry and actor.entry.hq and fold(actor.entry.hq) == fold(hq))
            if actor.entry is not None:
                nouns = actor.entry.refer_nouns or self.rulebook.default_refer_nouns.get(actor.type, ())
                if noun not in nouns and found.described_as.get(noun) != {actor.key}:
                    return False
                return nationality is None or actor.nationality == nationality
            # an actor nobody listed: any organisation noun; its nationality is what earlier
            # references said of it ("le distributeur canadien" then "le numéro un français")
            if actor.type != "Organization" or noun in government_nouns:
                return False  # "le gendarme britannique" is no company
            own_nouns = {n for n, keys in found.described_as.items() if actor.key in keys}
            if noun not in generic and own_nouns and noun not in own_nouns:
                return False  # "le fonds norvégien" is not the company called "le mineur" here
            if nationality is None:
                # a bare "le comité" means a listed actor that is called so, or the one actor
                # the article itself called so ("le réassureur X", then "le réassureur")
                return noun not in generic and found.described_as.get(noun) == {actor.key}
            known = inferred.get(actor.key)
            return known is None or known == nationality

        if hq is not None:  # a headquarters city names one actor wherever it was mentioned
            for ref in self.refs.values():
                if fits(ref):
                    return ref
            return None
        if nationality is None and (noun in generic or not (any(
            m.actor.entry and noun in m.actor.entry.refer_nouns for m in found.mentions
        ) or len(found.described_as.get(noun, ())) == 1)):
            return None  # a bare "la société" is too vague; "l'application" may not be
        candidates = [m for m in found.before(p, i) if m.kind != WEAK and fits(m.actor)]
        # an actor known to be of that nationality beats one of unknown nationality, even one
        # the article names only further on
        candidates.sort(key=lambda m: (m.actor.nationality or inferred.get(m.actor.key)) != nationality)
        if nationality is not None and not (
                candidates and (candidates[0].actor.nationality or inferred.get(candidates[0].actor.key))):
            known = [m for m in found.after(p, i) if m.kind != WEAK and fits(m.actor)
                     and (m.actor.nationality or inferred.get(m.actor.key)) == nationality]
            candidates = known[:1] + candidates
        if not candidates:  # a title may name the actor only later
            candidates = [m for m in found.after(p, i) if m.kind != WEAK and fits(m.actor)]
        if not candidates:
            return None
        chosen = candidates[0].actor
        if nationality is not None and chosen.entry is None:
            inferred.setdefault(chosen.key, nationality)
        return chosen

    # -- helpers ------------------------------------------------------------------

    @staticmethod
    def _add(found: ArticleMentions, p: int, paragraph: Paragraph, start: int, end: int,
             actor: ActorRef, kind: str) -> None:
        doc = paragraph.doc
        span = doc[start:end]
        found.add(Mention(p, start, end, paragraph.offset + span.start_char,
                          paragraph.offset + span.end_char, span.text, actor, kind))


def _hyphen_next_to(token: Token) -> bool:
    doc = token.doc
    return (token.i > 0 and doc[token.i - 1].text == "-") or (
        token.i + 1 < len(doc) and doc[token.i + 1].text == "-")


def _by_first_word(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    return index


def _head_word(phrase: tuple[str, ...], determiners: set[str]) -> str:
    """The first word of a phrase that is not a determiner ("gouvernement" in "le gouvernement")."""
    return next((w for w in phrase if w not in determiners), phrase[0])


def _contracts(word: str, name_words: list[str]) -> bool:
    """Whether one word is the start of a longer name's first words run together, three
    letters at least each ("potashcorp" for "potash corporation of ..."). Initials are
    not read so: a short capitalised word matches too many names."""

    def runs(rest: str, k: int, used: int) -> bool:
        if not rest:
            return used >= 2
        if k >= len(name_words):
            return False
        whole = name_words[k]
        return any(rest.startswith(whole[:n]) and runs(rest[n:], k + 1, used + 1)
                   for n in range(min(len(whole), len(rest)), 2, -1))

    return len(word) >= 6 and runs(word, 0, 0)


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return any(long[k : k + n] == short for k in range(len(long) - n + 1))
