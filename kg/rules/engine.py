"""The rule engine: applies the rules of a :class:`~kg.rules.Rulebook` to a parsed article.

A rule fires on a trigger token (a lemma from a lexicon, or a date mention for
deadlines), checks negation, then fills its slots with *locators*: small steps
over the dependency tree (``subj``, ``obj``, ``prep:à``, ``head``, ``poss``) or
over word order (``right:par``, ``left``) for where the small French model
attaches phrases wrongly. Each slot lists alternatives, tried in order.
A filled slot holds actors (or parts of organisations, for targets).

The engine knows no French: every word it compares comes from the rulebook.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.mentions import WEAK, ActorRef, ArticleMentions, Mention, MentionFinder
from kg.rules import LOCATORS, Rule, Rulebook, SlotSpec, Step

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from kg.dates import DateMention
    from kg.nlp import Paragraph

_WINDOW = 14  # tokens a positional locator looks across
# relations whose facts are decisions a company's shareholders can take for it
_DECISIONS = ("bid", "status")
_LABEL_WORDS = 14
_DESCRIPTION_WORDS = 8  # words a description may put between its head noun and the name


@dataclass(frozen=True)
class Part:
    """A part of an organisation, e.g. its operations in one country."""

    whole: ActorRef
    region: str | None
    surface: str

    @property
    def key(self) -> str:
        return f"{self.whole.key}-{self.region}" if self.region else self.whole.key


Filler = ActorRef | Part


@dataclass
class Sentence:
    para: int
    span: Span
    offset: int  # of the paragraph in the article body
    index: int  # position in the article

    @property
    def start_char(self) -> int:
        return self.offset + self.span.start_char

    @property
    def end_char(self) -> int:
        return self.offset + self.span.end_char


@dataclass
class Match:
    rule: Rule
    sentence: Sentence
    trigger: Token
    slots: dict[str, list[Filler]]
    hedged: bool = False
    reported_by: ActorRef | None = None
    date: DateMention | None = None
    label: str | None = None
    trigger_text: str = ""
    used: set[str] = field(default_factory=set)
    # tokens the rule located without an actor on them ("_offer" -> the offer noun): what
    # links a status word to the deal mention it is said of
    anchors: dict[str, Token] = field(default_factory=dict)
    # a list slot joined by "ou" ("à X ou à Y"): each member alone, not all together
    alternatives: bool = False
    negated: bool = False  # only for rules whose negation policy lets a negated trigger through

    def deal_word(self) -> Token | None:
        """The deal word this match speaks of, if the rule located one."""
        return next((self.anchors[n] for n in ("_offer", "_deal", "_sale") if n in self.anchors), None)

    def deal_anchor(self) -> frozenset[tuple[int, int]] | None:
        """(paragraph, token) of that deal word with the nouns it forms one name with."""
        word = self.deal_word()
        return noun_group(self.sentence.para, word) if word is not None else None


def noun_group(para: int, noun: Token) -> frozenset[tuple[int, int]]:
    """A noun with the nouns it heads or depends on as a complement: one deal named once."""
    group = {noun} | {c for c in noun.children if c.dep_ == "nmod" and c.pos_ == "NOUN"}
    if noun.dep_ == "nmod" and noun.head.pos_ == "NOUN":
        group.add(noun.head)
    if noun.dep_ == "appos" and noun.head.pos_ == "NOUN":
        # "the purchase of X by Y, an operation closed in 2019": an apposition re-names the deal
        group |= {noun.head} | {c for c in noun.head.children if c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN")}
    return frozenset((para, t.i) for t in group)


@dataclass
class _Context:
    """What locators see while one rule is being matched."""

    rule: Rule
    sentence: Sentence
    trigger: Token
    tokens: dict[str, Token] = field(default_factory=dict)  # "_slot" -> token
    used: set[str] = field(default_factory=set)  # actor keys already in a slot
    alternatives: bool = False  # a list joined by "ou": rivals, not partners


class Engine:
    def __init__(self, rulebook: Rulebook, finder: MentionFinder, tokenize: Callable[[str], list[str]]):
        self.book = rulebook
        self.finder = finder
        lex = rulebook.lexicons
        self._multiword: dict[str, list[tuple[str, ...]]] = {
            name: [tuple(tokenize(w)) for w in words] for name, words in lex.items()
        }
        # first word -> (trigger reference, entry), for every trigger the rules use
        self._trigger_index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for ref in {r for rule in rulebook.rules if rule.trigger != ("date",) for r in rule.trigger}:
            for entry in self._multiword[ref[1:]] if ref.startswith("@") else [tuple(ref.split())]:
                if entry:
                    self._trigger_index.setdefault(entry[0], []).append((ref, entry))
        self._by_first: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        for name, entries in self._multiword.items():
            index = self._by_first.setdefault(name, {})
            for entry in entries:
                if entry:
                    index.setdefault(entry[0], []).append(entry)
        from kg.nlp import lemmas_by_form

        self._lemmas_of_form = lemmas_by_form({w for words in lex.values() for w in words if " " not in w})
        self._disjunctions = set(lex["disjunctions"])
        self._preps: dict[str, set[str]] = {}
        for pair in lex["prepositions"]:
            prep, form = pair.split("=", 1)
            self._preps.setdefault(prep, set()).add(form)
        self._negation = set(lex["negation_words"])
        self._privative_marks = set(lex["privative_marks"])
        self._pronouns = set(lex["personal_pronouns"])
        self._possessives = set(lex["possessive_determiners"])
        self._connectors = set(lex["list_connectors"])
        self._consortium = set(lex["consortium_nouns"])
        self._role_nouns = set(lex["role_nouns"])
        self._fillers = set(lex["list_fillers"]) | self._consortium
        self._reporting = set(lex["reporting_cues"])
        self._gov_roles = set(lex["government_roles"])
        self._decree = set(lex["decree_nouns"])
        self._part_nouns = set(lex["part_nouns"])
        self._conditional_endings = tuple(lex["conditional_endings"])

    # -- entry point --------------------------------------------------------------

    def run(self, paragraphs: list[Paragraph], mentions: ArticleMentions,
            dates: list[DateMention], gov_persons: set[str]) -> list[Match]:
        self._mentions = mentions
        self._gov_persons = gov_persons
        self.dates = dates
        self._sentences = list(self._split(paragraphs))
        matches: list[Match] = []
        for sentence in self._sentences:
            span = sentence.span
            if not any(token.dep for token in span):
                continue  # left unparsed: kg.nlp found neither trigger nor date there
            # which trigger words start at each token, computed once for all the rules
            # words inside a fixed expression ("from" written with the noun "share") start none
            fixed = self._in_fixed_expressions(span)
            starts = [{} if k in fixed else self._triggers_at(span, k) for k in range(len(span))]
            present = {ref for found in starts for ref in found}
            for rule in self.book.rules:
                if rule.trigger == ("date",):
                    matches.extend(self._date_rule(rule, sentence, dates))
                elif any(ref in present for ref in rule.trigger):
                    matches.extend(self._token_rule(rule, sentence, starts))
        return matches

    @property
    def trigger_words(self) -> frozenset[str]:
        """The first word (lemma or form) of every trigger the rules use, lower case, and
        the surface forms the lemmatizer's data brings back to one of them."""
        firsts = set(self._trigger_index)
        return frozenset(firsts | {form for form, lemmas in self._lemmas_of_form.items() if lemmas & firsts})

    def mentions_in(self, para: int, tokens) -> list[Mention]:
        """The actor mentions (of the article last run) that start on one of ``tokens``."""
        found = (self._mentions.at(para, t.i) for t in tokens)
        return [m for m in found if m is not None]

    @property
    def government_people(self) -> set[str]:
        """Keys of the people who act for a government in the article last run."""
        return self._gov_persons

    @property
    def sentences(self) -> list[Sentence]:
        return self._sentences

    @staticmethod
    def _split(paragraphs: list[Paragraph]) -> Iterator[Sentence]:
        index = 0
        for p, paragraph in enumerate(paragraphs):
            for span in paragraph.doc.sents:
                yield Sentence(p, span, paragraph.offset, index)
                index += 1

    # -- triggers -----------------------------------------------------------------

    def in_lexicon(self, tokens: Span | list[Token], start: int, ref: str) -> int:
        """Length of the lexicon entry that starts at ``start`` (0 when none).

        Entries are indexed by their first word, so a token is compared only with the
        entries that could start there: this runs for every token and every rule."""
        first = tokens[start]
        # with what the surface form could be a form of: the tagger misreads headlines
        # ("X lance une OPA": "lance" tagged a noun, lemma "lance")
        forms = (first.lower_, first.lemma_.lower(), *self._lemmas_of_form.get(first.lower_, ()))
        if ref.startswith("@"):
            entries = [e for form in forms for e in self._by_first.get(ref[1:], {}).get(form, ())]
        else:
            entry = tuple(ref.split())
            entries = [entry] if entry[0] in forms else []
        best = 0
        for entry in entries:
            n = len(entry)
            if n == 1:
                best = max(best, 1)
                continue
            if start + n > len(tokens):
                continue
            if all(entry[k] in (tokens[start + k].lemma_.lower(), tokens[start + k].lower_) for k in range(1, n)):
                best = max(best, n)
        return best

    def _in_fixed_expressions(self, span: Span) -> set[int]:
        """Positions (in the span) of the words of every fixed expression it contains."""
        covered: set[int] = set()
        for k in range(len(span)):
            n = self.in_lexicon(span, k, "@fixed_expressions")
            covered.update(range(k, k + n))
        return covered

    def _misread_verb(self, token: Token, rule: Rule) -> bool:
        """A verb form the small model tags as an adjective or a name ("X rachète Y", "X rafle
        30 % de Y"): its surface is a form of the rule's verb, its own lemma is not."""
        if "VERB" not in rule.pos:
            return False
        # a "noun" with a subject and an object is a verb ("le conseil juge l'offre ...")
        if token.pos_ == "NOUN" and {"nsubj", "obj"} <= {c.dep_ for c in token.children}:
            return True
        return token.pos_ in ("ADJ", "PROPN") and \
            token.lemma_.lower() not in self._lemmas_of_form.get(token.lower_, (token.lemma_.lower(),))

    def _triggers_at(self, span: Span, k: int) -> dict[str, int]:
        """Every trigger reference ("@lexicon" or word) whose entry starts at token k, with its length."""
        token = span[k]
        found: dict[str, int] = {}
        for form in {token.lower_, token.lemma_.lower(), *self._lemmas_of_form.get(token.lower_, ())}:
            for ref, entry in self._trigger_index.get(form, ()):
                n = len(entry)
                if n > found.get(ref, 0) and k + n <= len(span) and all(
                        entry[j] in (span[k + j].lemma_.lower(), span[k + j].lower_) for j in range(1, n)):
                    found[ref] = n
        return found

    def _token_rule(self, rule: Rule, sentence: Sentence, starts: list[dict[str, int]]) -> Iterator[Match]:
        span = sentence.span
        for k, token in enumerate(span):
            length = max((starts[k].get(ref, 0) for ref in rule.trigger), default=0)
            if not length or (rule.pos and token.pos_ not in rule.pos and not self._misread_verb(token, rule)):
                continue
            if not length:
                continue
            trigger = span[k + length - 1] if span[k + length - 1].pos_ == "NOUN" else token
            negated = self.negated(trigger)
            if (rule.negation == "forbid" and negated) or (rule.negation == "require" and not negated):
                continue
            match = self._fill(rule, sentence, trigger)
            if match is not None:
                match.trigger_text = span[k : k + length].text
                match.negated = negated
                yield match

    def _date_rule(self, rule: Rule, sentence: Sentence, dates: list[DateMention]) -> Iterator[Match]:
        for date in dates:
            if not (sentence.start_char <= date.start < sentence.end_char):
                continue
            cue = date.cue or "none"
            anchor = self._token_at(sentence, date.start, date.end)
            if anchor is None:
                continue
            verb = self._governing_verb(anchor)
            if rule.cues and cue not in rule.cues:
                continue
            if rule.governor and not self._governed_by(anchor, rule.governor):
                continue
            # no negation check: "si aucun accord n'est trouvé avant le X" still sets a deadline
            match = self._fill(rule, sentence, verb or anchor)
            if match is None:
                continue
            match.date = date
            match.label = self._label(verb, date, sentence) if verb is not None else date.text
            match.trigger_text = date.text
            yield match

    def _governed_by(self, anchor: Token, ref: str) -> bool:
        """Whether the verb the date hangs on (or the modal above it) is in the lexicon:
        "devront être conclues au 15 septembre", not "annoncée en mai, l'offre devait coûter"."""
        doc = anchor.doc
        # "une date butoir au 18 juillet": the word just before the date
        start = min(t.i for t in anchor.subtree)
        sentence_start = anchor.sent.start
        if any(doc[k].pos_ in ("NOUN", "PROPN") and self.in_lexicon(doc, k, ref)
               for k in range(max(start - 8, sentence_start), start)):
            return True
        verb = self._governing_verb(anchor)
        if verb is None:
            return False
        candidates = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
        if verb.dep_ == "xcomp":
            candidates.append(verb.head)
        # "le procès devait s'ouvrir le 17": an obligation told in the past is no deadline
        # and "il devrait décider cette semaine" is an expectation
        def told_as_due(v: Token) -> bool:
            morph = str(v.morph)
            return "Tense=Imp" not in morph and "Tense=Past" not in morph and "VerbForm=Part" not in morph

        return any(self.in_lexicon([v], 0, ref) and told_as_due(v) and not self._is_conditional(v)
                   for v in candidates)

    # -- slot filling -------------------------------------------------------------

    def _fill(self, rule: Rule, sentence: Sentence, trigger: Token) -> Match | None:
        ctx = _Context(rule, sentence, trigger)
        slots: dict[str, list[Filler]] = {}
        for slot in rule.slots:
            if slot.copy_of is not None:
                slots[slot.name] = list(slots.get(slot.copy_of, []))
                continue
            values = self._locate_slot(slot, ctx)
            if slot.name.startswith("_"):
                if values is None and not slot.optional:
                    return None
                continue
            if not values:
                if not slot.optional:
                    return None
                continue
            slots[slot.name] = values
            for v in values:
                ctx.used.add(v.whole.key if isinstance(v, Part) else v.key)
        hedged, reported_by = self.hedging(trigger, sentence)
        return Match(rule, sentence, trigger, slots, hedged, reported_by, used=ctx.used,
                     anchors=dict(ctx.tokens), alternatives=ctx.alternatives)

    def _locate_slot(self, slot: SlotSpec, ctx: _Context) -> list[Filler] | None:
        for alternative in slot.alternatives:
            if slot.name.startswith("_"):
                token = self._walk_token(alternative, ctx)
                if token is not None:
                    ctx.tokens[slot.name] = token
                    return []
                continue
            found = self._walk(alternative, ctx)
            if found:
                return self._expand(found[0], ctx) if slot.multi else found[:1]
        return None if slot.name.startswith("_") else []

    def _walk_token(self, steps: tuple[Step, ...], ctx: _Context) -> Token | None:
        token: Token | None = ctx.trigger
        for step in steps:
            if token is None:
                return None
            token = self._step_token(step, token, ctx)
        return token

    def _walk(self, steps: tuple[Step, ...], ctx: _Context) -> list[Filler]:
        token: Token | None = ctx.trigger
        for step in steps[:-1]:
            token = self._step_token(step, token, ctx) if token is not None else None
        if token is None:
            return []
        last = steps[-1]
        if last.name in LOCATORS and LOCATORS[last.name].positional:
            mentions = self._positional(last, token, ctx)
            return [f for m in mentions if (f := self._filler_of_mention(m, ctx, last)) is not None]
        target = self._step_token(last, token, ctx)
        if target is None:
            return []
        filler = self._filler(target, ctx, last)
        return [filler] if filler is not None else []

    def _step_token(self, step: Step, token: Token, ctx: _Context) -> Token | None:
        name = step.name
        if name.startswith("_"):
            located = ctx.tokens.get(name)
            if located is not None and not self._meets_lexicon_constraint(located, step.constraint):
                return None  # "_offer{@offer_nouns}>prep:de": that path only for that kind of word
            return located
        result: Token | None
        if name == "self":
            result = token
        elif name == "subj":
            result = self._subject(token)
        elif name == "obj":
            # the model may split one object in two ("Ce périmètre, qui ..., les activités de X"):
            # prefer the one that names an actor
            objects = [c for c in token.children if c.dep_ == "obj"] or \
                [c for c in token.children if c.dep_ == "nsubj:pass" and not self._active_past(token)] or \
                [c for c in token.children if c.dep_ == "nsubj" and self._child(token, ("aux:pass",))] or \
                [c for c in token.children if c.dep_ == "det" and token.pos_ == "VERB" and c.i < token.i]
            # (a verb has no determiner: "la jugeant" is the object pronoun, misread)
            named = [c for c in objects if any(self._mentions.at(ctx.sentence.para, t.i) for t in c.subtree)]
            result = (named or objects or [None])[0]
            if result is None and token.pos_ == "VERB":
                result = self._object_past_aside(token, ctx) or self._shared_patient(token)
        elif name == "xcomp":
            result = self._child(token, ("xcomp", "ccomp"))
        elif name == "acl":
            result = self._child(token, ("acl",))
        elif name == "inner":  # the first actor named inside this phrase: "le périmètre ... de X"
            # never past a verb: in "the means to catch up with X", X is the verb's, not the phrase's
            result = next((c for c in token.subtree if c.i != token.i and self._mentions.at(ctx.sentence.para, c.i)
                           and self._mentions.at(ctx.sentence.para, c.i).actor.key not in ctx.used
                           and not self._crosses_verb(c, token)), None)
        elif name in ("next", "prev"):
            result = self._scan(token, ctx, forward=name == "next", constraint=step.constraint)
            return result
        elif name == "iobj":
            result = self._child(token, ("iobj",))
        elif name == "conj":
            result = self._child(token, ("conj",))
        elif name == "refl":  # the verb is pronominal: "X s'offre Y"
            result = next((c for c in token.children if c.lower_ in ("se", "s'")
                           and c.dep_.startswith(("expl", "obj", "iobj"))), None)
        elif name == "agent":
            result = self._child(token, ("obl:agent",)) or self._agent_of_aside(token)
        elif name == "head":
            result = self._relative_antecedent(token) or self._participle_noun(token) or \
                (token.head if token.head.i != token.i else None)
        elif name == "poss":
            result = next((c for c in token.children if c.lower_ in self._possessives), None)
        elif name == "appos":
            result = self._child(token, ("appos",)) or (token.head if token.dep_ == "appos" else None)
        elif name == "prep":
            result = self._prep_child(token, step.arg or "")
        elif name == "verb":
            result = self._governing_verb(token)
        elif name == "pair":
            result = self._pair(token, ctx, int(step.arg or 1))
        elif name == "antecedent":
            result = self._antecedent(token, ctx)
        else:  # positional locators yield mentions, not tokens: take the first one's head
            mentions = self._positional(step, token, ctx)
            result = token.doc[mentions[0].start] if mentions else None
        if result is not None and not self._meets_lexicon_constraint(result, step.constraint):
            return None
        return result

    def _meets_lexicon_constraint(self, token: Token, constraint: str | None) -> bool:
        """{@lexicon}: the word is in it; {!@lexicon}: it is not (actor constraints are checked
        on the actor found, elsewhere)."""
        if not constraint or not constraint.startswith(("@", "!@")):
            return True
        inside = self.in_lexicon([token], 0, constraint.lstrip("!")) > 0
        return inside != constraint.startswith("!")

    @staticmethod
    def _active_past(verb: Token) -> bool:
        """A "passive" subject on a verb whose only auxiliary is the one of the compound past
        (lemma avoir) and that has no agent: the model misread an active past tense."""
        if not any(c.dep_ == "nsubj:pass" for c in verb.children):
            return False
        auxiliaries = [c for c in verb.children if c.dep_.startswith("aux")]
        return bool(auxiliaries) and all(c.lemma_ == "avoir" and c.dep_ == "aux:tense" for c in auxiliaries) \
            and not any(c.dep_ == "obl:agent" for c in verb.children)

    @staticmethod
    def _agent_of_aside(verb: Token) -> Token | None:
        """A passive's agent phrase the model hung on an active infinitive in between ("was
        rejected without waiting by the board"): an active infinitive has no agent of its own."""
        if "Voice=Pass" not in str(verb.morph) and not any(c.dep_ == "aux:pass" for c in verb.children):
            return None
        for aside in verb.children:
            if aside.dep_ in ("advcl", "xcomp") and "VerbForm=Inf" in str(aside.morph) \
                    and not any(c.dep_ == "aux:pass" for c in aside.children):
                agent = next((c for c in aside.children if c.dep_ == "obl:agent"), None)
                if agent is not None:
                    return agent
        return None

    def _object_past_aside(self, verb: Token, ctx: _Context) -> Token | None:
        """The object of a verb the model left without one because a time word or an aside
        came between them ("has completed on Thursday, three months early, the purchase of
        X"): a name right after the verb, or the first noun with its own determiner and
        no preposition before the next verb or clause word. Bare nouns ("Thursday") and prepositional
        phrases ("with three months' lead") are what stands between, not the object."""
        doc = verb.doc
        for k in range(verb.i + 1, min(ctx.sentence.span.end, verb.i + 1 + _WINDOW)):
            word = doc[k]
            # another verb opens another clause ("gives up launching an offer": the offer is the
            # infinitive's); only a participle may be a time word the model misread
            if k == verb.i + 1 and self._mentions.at(ctx.sentence.para, k) is not None:
                return word  # a name right after it, whatever its tag ("X s'offre Y", Y read as a verb)
            another_verb = word.pos_ == "VERB" and "VerbForm=Part" not in str(word.morph)
            if word.pos_ in ("AUX", "SCONJ", "CCONJ") or another_verb:
                return None
            if word.pos_ == "PRON" and "PronType=Rel" in str(word.morph):
                return None
            if word.pos_ != "NOUN" or not any(c.dep_ == "det" and c.i < k for c in word.children):
                continue
            if any(c.dep_ == "case" for c in word.children):
                continue
            return word
        return None

    def _antecedent(self, pronoun: Token, ctx: _Context) -> Token | None:
        """The noun an object pronoun stands for: the nearest noun before its clause, in its
        sentence or the one before, that agrees with it in number and gender (read from the
        pronoun, or from the past participle that agrees with it). Only that noun is taken:
        when a complaint was named after the offer, "rejected it" is about the complaint."""
        doc = pronoun.doc
        agreeing = pronoun.head if "VerbForm=Part" in str(pronoun.head.morph) else pronoun
        number = agreeing.morph.get("Number") or pronoun.morph.get("Number")
        gender = agreeing.morph.get("Gender") or pronoun.morph.get("Gender")
        clause = {t.i for t in pronoun.head.subtree}
        earliest = ctx.sentence.span.start
        before = ctx.sentence.index - 1
        if before >= 0 and self._sentences[before].para == ctx.sentence.para:
            earliest = self._sentences[before].span.start
        for k in range(pronoun.i - 1, earliest - 1, -1):
            noun = doc[k]
            if noun.pos_ != "NOUN" or k in clause or self._mentions.at(ctx.sentence.para, k) is not None:
                continue  # (a name the model tags as a noun is an actor, not what is rejected)
            if not any(c.dep_ == "det" for c in noun.children):
                continue  # a bare noun, as in an idiom ("without follow-up"), refers to nothing
            if number and noun.morph.get("Number") and noun.morph.get("Number") != number:
                continue
            # after an elided article (l + apostrophe) the model guesses the gender: do not trust it
            elided = any(c.dep_ == "det" and c.text.endswith(("'", "\u2019")) for c in noun.children)
            if gender and not elided and noun.morph.get("Gender") and noun.morph.get("Gender") != gender:
                continue
            return noun
        return None

    def _pair(self, token: Token, ctx: _Context, which: int) -> Token | None:
        """One of the two names written "A-B" right after the word ("the A-B merger"), past
        adjectives ("the giant A-B marriage")."""
        doc, p = token.doc, ctx.sentence.para
        k = token.i + 1
        while k < ctx.sentence.span.end and doc[k].pos_ == "ADJ" and self._mentions.at(p, k) is None:
            k += 1
        first = self._mentions.at(p, k)
        if first is None or first.end + 1 >= len(doc) or doc[first.end].text != "-":
            return None
        second = self._mentions.at(p, first.end + 1)
        if second is None:
            return None
        return doc[first.start] if which == 1 else doc[second.start]

    def _scan(self, token: Token, ctx: _Context, *, forward: bool, constraint: str | None) -> Token | None:
        """The nearest token after (or before) this one in the sentence that fits the constraint."""
        span = ctx.sentence.span
        indexes = range(token.i + 1, min(span.end, token.i + 1 + _WINDOW)) if forward else \
            range(token.i - 1, max(span.start - 1, token.i - 1 - _WINDOW), -1)
        doc = span.doc
        for i in indexes:
            if constraint is None or (constraint.startswith("@") and self.in_lexicon(doc, i, constraint)):
                return doc[i]
        return None

    @staticmethod
    def _child(token: Token, deps: tuple[str, ...]) -> Token | None:
        return next((c for c in token.children if c.dep_ in deps), None)

    def _shared_patient(self, verb: Token) -> Token | None:
        """The patient of a passive infinitive or participle that has no subject of its own
        ("X is going to be bought by Y"): the subject of the verb it completes."""
        if self._child(verb, ("aux:pass",)) is None or self._child(verb, ("nsubj", "nsubj:pass")) is not None:
            return None
        if verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            return None
        return self._child(verb.head, ("nsubj", "nsubj:pass"))

    def _subject(self, token: Token) -> Token | None:
        """The doer: the verb's subject, or the subject it shares with the verb it depends on."""
        current, hops = token, 0
        while hops < 3:
            if self._active_past(current):
                # "X has withdrawn ...", tagged as a passive subject: the compound past is active. A
                # pronoun there is left out: resolved by proximity alone, on a clause the model
                # misparsed, it is too weak a guess to assert who acted
                subject = self._child(current, ("nsubj:pass",))
                return subject if subject is not None and subject.pos_ != "PRON" else None
            if self._child(current, ("nsubj:pass", "obl:agent", "aux:pass")) is not None:
                # passive: the grammatical subject is what is acted on, and a "par" phrase
                # is the doer even when it names nobody we know
                return None
            morph = str(current.morph)
            if current.dep_ == "acl" and "Tense=Past" in morph and "VerbForm=Part" in morph \
                    and self._child(current, ("nsubj",)) is None:
                return None  # "l'offre, aussitôt rejetée": the noun is what the verb acts on
            if "VerbForm=Part" in morph and "Tense=Pres" in morph and current.dep_ in ("appos", "acl", "advcl"):
                # "X a rejeté l'offre, la jugeant insuffisante": the participle's doer is the
                # subject of the clause it hangs on, however the model attaches it
                clause = current.head
                while clause.pos_ != "VERB" and clause.head.i != clause.i:
                    clause = clause.head
                if clause.pos_ == "VERB" and clause.i != current.i:
                    current, hops = clause, hops + 1
                    continue
            subject = self._child(current, ("nsubj",))
            if subject is not None:
                if "PronType=Rel" in str(subject.morph) and current.dep_ == "acl:relcl":
                    return current.head  # "X, qui a rejeté ..." -> X
                return subject
            non_finite = any(f in str(current.morph) for f in ("VerbForm=Inf", "VerbForm=Part"))
            shares_subject = current.dep_ in ("xcomp", "conj") or (
                current.dep_ in ("advcl", "acl", "obl:arg", "obl:mod") and non_finite
            )
            if not shares_subject or current.head.i == current.i:
                return None
            controls = self.in_lexicon([current.head], 0, "@object_control_verbs")
            # "proposer à X de lui racheter": the clitic is X, so the subject does the buying
            own_dative = any(c.dep_ == "iobj" and c.pos_ == "PRON" for c in current.children)
            if current.dep_ in ("xcomp", "obl:arg", "advcl") and controls and not own_dative:
                # "interdire à X de racheter": the infinitive's doer is X, not the subject
                controller = self._prep_child(current.head, "à") or self._child(current.head, ("iobj", "obj"))
                if controller is not None and controller.i != current.i:
                    return controller
            current, hops = current.head, hops + 1
        return None

    @staticmethod
    def _relative_antecedent(verb: Token) -> Token | None:
        """"l'offre de X, qu'Y avait jugée ...": the noun a relative clause is about, when the
        model hangs the clause on a comma rather than on that noun."""
        if verb.head.pos_ in ("NOUN", "PROPN") or verb.head.i == verb.i:
            return None
        relative = next((c for c in verb.children if c.i < verb.i and "PronType=Rel" in str(c.morph)), None)
        if relative is None:
            return None
        k = relative.i - 1
        while k >= 0 and verb.doc[k].pos_ == "PUNCT":
            k -= 1
        if k < 0 or verb.doc[k].pos_ not in ("NOUN", "PROPN"):
            return None
        noun = verb.doc[k]
        while noun.dep_ == "nmod" and noun.head.pos_ == "NOUN" and noun.head.i < noun.i:
            noun = noun.head  # "l'offre de X, que": the offer, not X
        return noun

    def _after_article(self, doc, k: int) -> bool:
        """An "infinitive" after an article is a noun the tagger misread (an English "leader")."""
        before = doc[k - 1] if k > 0 else None
        return before is not None and (
            before.pos_ == "DET" or self.in_lexicon([before], 0, "@contracted_determiners") > 0)

    @staticmethod
    def _crosses_verb(word: Token, phrase: Token) -> bool:
        """Whether a verb stands between a word and the head of the phrase it is in."""
        current = word.head
        while current.i != phrase.i and current.head.i != current.i:
            if current.pos_ in ("VERB", "AUX"):
                return True
            current = current.head
        return False

    @staticmethod
    def _participle_noun(participle: Token) -> Token | None:
        """The noun a participle after "N de N" agrees with: the model hangs it on the
        nearest noun, but "the merger agreement signed" is about the agreement. Walk up
        the chain of nouns to the first one that agrees in gender and number."""
        if participle.dep_ != "acl" or "VerbForm=Part" not in str(participle.morph):
            return None
        gender, number = participle.morph.get("Gender"), participle.morph.get("Number")
        noun = participle.head
        while noun.pos_ == "NOUN":
            if (not gender or noun.morph.get("Gender") in (gender, [])) and \
                    (not number or noun.morph.get("Number") in (number, [])):
                return noun
            if noun.dep_ != "nmod" or noun.head.pos_ != "NOUN" or noun.head.i > noun.i:
                return None
            noun = noun.head
        return None

    def _prep_child(self, token: Token, prep: str, *, after: int | None = None) -> Token | None:
        """The nearest dependent of ``token`` introduced by ``prep`` (past ``after`` if given)."""
        forms = self._preps.get(prep, {prep})
        best: tuple[int, Token] | None = None
        for child in token.subtree:
            if child.i == token.i or (after is not None and child.i <= after):
                continue
            depth, t, crosses_verb = 0, child.head, False
            while t.i != token.i and depth < 4:
                crosses_verb |= t.pos_ in ("VERB", "AUX")
                t, depth = t.head, depth + 1
            if t.i != token.i or crosses_verb:
                continue
            if any(c.dep_ in ("case", "fixed") and c.lower_ in forms for c in child.children):
                distance = abs(child.i - token.i)
                if best is None or distance < best[0]:
                    best = (distance, child)
        return best[1] if best else None

    def _governing_verb(self, token: Token) -> Token | None:
        if any(c.dep_ == "case" and self.in_lexicon([c], 0, "@opposing_prepositions") for c in token.children):
            return None  # the verb acts against the deal word: its arguments are not the deal's
        current, hops = token, 0
        while hops < 5:
            if current.pos_ in ("VERB",) and current.i != token.i:
                return current
            if current.pos_ == "VERB" and hops == 0:
                return current
            if current.head.i == current.i:
                return current if current.pos_ in ("VERB", "NOUN") else None
            if hops > 0 and current.dep_.startswith("nsubj"):
                # a word inside another noun's subject phrase is not the verb's: in "raising
                # its offer made no difference", the offer is not what was made
                return None
            current, hops = current.head, hops + 1
        return None

    # -- positional locators ------------------------------------------------------

    def _positional(self, step: Step, token: Token, ctx: _Context) -> list[Mention]:
        sentence = ctx.sentence
        p, span = sentence.para, sentence.span
        inside = self._mentions.in_span(p, span.start, span.end)
        own = self._mentions.at(p, token.i)
        if step.name == "sent":
            # any actor of the sentence but one another verb acts on ("en apaisant le
            # gouvernement"): what a verb acts on is not who decides
            return [m for m in inside if not self._object_of_another_verb(m, token)]
        if step.name == "near":  # adjacent, no verb between: "le sénateur X", "X, PDG de"
            doc = span.doc
            out = []
            for m in inside:
                lo, hi = (token.i + 1, m.start) if m.start > token.i else (m.end, token.i)
                if m is own or hi - lo > 3 or any(doc[k].pos_ in ("VERB", "AUX") for k in range(lo, hi)):
                    continue
                out.append(m)
            return sorted(out, key=lambda m: (m.start < token.i, abs(m.start - token.i)))
        if step.name == "gov":
            return [m for m in inside if self._is_gov(m.actor)]
        if step.name == "filer":
            return self._filers(token, inside)
        if step.name == "prevgov":
            earlier = [s for s in self._sentences if ctx.sentence.index - 2 <= s.index < ctx.sentence.index]
            found = [m for s in reversed(earlier)
                     for m in reversed(self._mentions.in_span(s.para, s.span.start, s.span.end))
                     if self._is_gov(m.actor)]
            return found
        if step.name == "decree":
            out = []
            for t in span:
                if t.lemma_.lower() in self._decree:
                    # the decree's author ("the decree of X", "signed by X"), not what it orders:
                    # in "a decree forbidding the takeover of Y", Y is the deal's, not the decree's
                    content = {d.i for c in t.children if (c.pos_ in ("VERB", "AUX") and c.dep_ != "acl")
                               or (c.dep_ == "acl" and "Tense=Pres" in str(c.morph))
                               or c.dep_ == "acl:relcl" for d in c.subtree}
                    for child in t.subtree:
                        if child.i in content:
                            continue
                        m = self._mentions.at(p, child.i)
                        if m is not None and m not in out:
                            out.append(m)
            return out
        doc = span.doc

        # "l'offre déposée par X": from an offer noun, its filing verb's agent is its bidder
        offer_noun = token.pos_ in ("NOUN", "PROPN")

        def crosses_verb(lo: int, hi: int, *, participles: bool = False) -> bool:
            # a finite verb in between starts another clause: "offre ... qui valorisait X";
            # an agent ("par X") after a participle is the participle's: "surveillé par X",
            # "a rejeté l'offre déposée par X" (X filed it, it did not reject it)
            # so does a present participle or an infinitive ("..., invoking a letter from X");
            # a day word the model reads as a verb ("filed Monday") is a date, not a clause
            return any(doc[k].pos_ == "VERB" and not self._in_date(sentence, doc[k])
                and ("VerbForm=Fin" in str(doc[k].morph)
                or ("VerbForm=Inf" in str(doc[k].morph) and not self._after_article(doc, k))
                or ("VerbForm=Part" in str(doc[k].morph) and "Tense=Pres" in str(doc[k].morph)) or (
                participles and "VerbForm=Part" in str(doc[k].morph)
                and not (offer_noun and self.in_lexicon([doc[k]], 0, "@offer_verbs"))))
                for k in range(lo, hi))

        if step.name == "right":
            candidates = [m for m in inside if m.start > token.i and m is not own
                          and m.start - token.i <= _WINDOW
                          and not crosses_verb(token.i + 1, m.start, participles=step.arg == "par")]
            if step.arg:
                forms = self._preps.get(step.arg, {step.arg})
                candidates = [m for m in candidates if self._introduced_by(m, forms, token.i)]
            return candidates
        if step.name == "left":
            candidates = [m for m in reversed(inside) if m.end <= token.i and m is not own
                          and token.i - m.end <= _WINDOW]
            if step.arg:
                forms = self._preps.get(step.arg, {step.arg})
                candidates = [m for m in candidates if self._introduced_by(m, forms, token.i)]
            else:
                # the nearest actor not introduced by a preposition (an apposition)
                candidates = [m for m in candidates
                              if not self._introduced_by(m, set().union(*self._preps.values()), token.i)]
            return candidates
        return []

    def _filers(self, noun: Token, inside: list[Mention]) -> list[Mention]:
        """Who filed the offer a noun names, by the words after it (the small model seldom
        hangs these clauses on the noun): "l'offre de 11 milliards déposée le 1er avril par X"
        (the agent of an offer verb's participle), "l'offre que lui avait adressée X" (the
        inverted subject of a relative clause) or "la proposition que X avait présentée"."""
        doc = noun.doc
        sentence_end = max(m.end for m in inside) if inside else noun.i + 1
        par_forms = self._preps.get("par", {"par"})

        def finite(k: int) -> bool:
            return doc[k].pos_ in ("VERB", "AUX") and "VerbForm=Fin" in str(doc[k].morph)

        def offer_verb(k: int) -> bool:
            # by form whatever its tag: the model reads such participles as adjectives or pronouns
            return doc[k].pos_ not in ("ADP", "DET", "PROPN") and self.in_lexicon([doc[k]], 0, "@offer_verbs") > 0

        for k in range(noun.i + 1, min(sentence_end, noun.i + 1 + 2 * _WINDOW)):
            word = doc[k]
            if word.text in (";", ":") or finite(k):
                return []  # another clause: what it says is not about this noun
            if offer_verb(k) and "VerbForm=Part" in str(word.morph):
                return [m for m in inside if k < m.start <= k + _WINDOW and self._introduced_by(m, par_forms)
                        and not any(finite(j) for j in range(k + 1, m.start))][:1]
            if self.in_lexicon([word], 0, "@object_relatives"):
                verb = next((j for j in range(k + 1, min(sentence_end, k + _WINDOW)) if offer_verb(j)), None)
                if verb is None or any(finite(j) and doc[j].pos_ == "VERB" for j in range(k + 1, verb)):
                    return []
                before = [m for m in inside if k < m.start and m.end <= verb]
                after = [m for m in inside if verb < m.start <= verb + 4
                         and not any(doc[j].pos_ == "ADP" for j in range(verb + 1, m.start))]
                return (before or after)[:1]
        return []

    def _object_of_another_verb(self, mention: Mention, token: Token) -> bool:
        head = self._doc_of(mention)[mention.start]
        while head.dep_ in ("flat:name", "fixed") and head.head.i != head.i:
            head = head.head
        verb = head.head
        return head.dep_ == "obj" and verb.pos_ == "VERB" and verb.i != token.i and verb.i != token.head.i

    def _introduced_by(self, mention: Mention, forms: set[str], trigger: int | None = None) -> bool:
        """Whether a preposition of ``forms`` introduces the mention; ``trigger``, the word a
        positional step starts from."""
        doc = mention_doc = self._doc_of(mention)
        del mention_doc
        k = mention.start - 1
        # "du néerlandais NXP", "au fonds britannique Zegona": skip what describes the name
        while k >= 0 and doc[k].lower_ not in forms and (
                doc[k].pos_ in ("DET", "ADJ", "NUM") or self.finder.place_of(doc[k]) is not None
                or (self.in_lexicon([doc[k]], 0, "@refer_nouns") and mention.start - k <= 3)
                # a noun with its determiner right before the name describes it: "by its rival
                # X" (but a bare noun is a complement, and a relation noun says who X is to
                # another: "of its subsidiary X" is not "of X")
                or (k == mention.start - 1 and k != trigger and k > 0
                    and doc[k].pos_ == "NOUN" and doc[k - 1].pos_ == "DET"
                    and not self.in_lexicon([doc[k]], 0, "@owned_nouns")
                    and not self.in_lexicon([doc[k]], 0, "@owner_nouns"))):
            k -= 1
        if k >= 0 and doc[k].lower_ not in forms:
            k = self._before_description(doc, k, mention.start, forms)
        return k >= 0 and doc[k].lower_ in forms

    def _before_description(self, doc, k: int, name_start: int, forms: set[str]) -> int:
        """Where a descriptive head with its own complement starts, when a preposition of
        ``forms`` opens it: "du géant suisse des matières premières X", "avec le leader
        mondial des logiciels d'entreprise X" are introduced by "du" and "avec"."""
        for r in range(k, max(-1, name_start - _DESCRIPTION_WORDS), -1):
            word = doc[r]
            if self.in_lexicon([word], 0, "@refer_nouns"):
                before = r - 1
                while before >= 0 and doc[before].pos_ == "DET":
                    before -= 1
                if before >= 0 and doc[before].lower_ in forms:
                    return before
                continue  # "des logiciels d'entreprises X": a noun of the complement
            if word.is_punct or word.pos_ in ("VERB", "AUX", "PROPN", "PRON", "SCONJ", "CCONJ"):
                break
            if word.pos_ == "ADP" and word.lower_ not in self._preps.get("de", {"de"}):
                break
        return k

    def _doc_of(self, mention: Mention):
        return next(s.span.doc for s in self._sentences if s.para == mention.para)

    def _is_gov(self, actor: ActorRef) -> bool:
        if actor.type == "Government":
            return True
        return actor.type == "Person" and (
            bool(actor.entry and actor.entry.acts_for) or actor.key in self._gov_persons
        )

    # -- fillers ------------------------------------------------------------------

    def _filler(self, token: Token, ctx: _Context, step: Step) -> Filler | None:
        p = ctx.sentence.para
        mention = self._mentions.at(p, token.i)
        if mention is not None:
            return self._filler_of_mention(mention, ctx, step)
        if token.lower_ in self._pronouns or token.lower_ in self._possessives:
            return self._check(self.resolve_pronoun(token, ctx), step)
        if token.lemma_.lower() in self._part_nouns:
            part = self._part(token, ctx)
            if part is not None:
                return part
        # "X, la maison-mère de Y, a refusé": the noun describes the actor just before it
        doc = token.doc
        # (within the sentence: a name ending the sentence before describes nothing here)
        first = ctx.sentence.span.start
        k = token.left_edge.i - 1
        while k >= first and (doc[k].is_punct or doc[k].pos_ == "DET") and token.left_edge.i - k <= 2:
            k -= 1
        before = self._mentions.at(p, k) if k >= first and doc[k].is_punct is False else None
        # "Selon Reuters, une proposition ...": a source is not what the noun describes
        if before is not None and before.start > 0 and self.in_lexicon([doc[before.start - 1]], 0, "@reporting_cues"):
            before = None
        if before is not None and k < token.left_edge.i - 1:
            return self._filler_of_mention(before, ctx, step)
        # "son conseil d'administration": a company's board stands for the company
        shareholders = self.in_lexicon([token], 0, "@shareholder_nouns") and ctx.rule.relation in _DECISIONS
        if self.in_lexicon([token], 0, "@board_nouns") or shareholders:
            owner = next((c for c in token.children if c.lower_ in self._possessives), None)
            actor = self.resolve_pronoun(owner, ctx) if owner is not None else None
            if actor is None:
                # "le conseil d'administration de X": X, past the organ's own complement
                end = token.i + max(self.in_lexicon([*token.doc[token.i:]], 0, "@board_nouns"),
                                    self.in_lexicon([*token.doc[token.i:]], 0, "@shareholder_nouns"))
                of = self._prep_child(token, "de", after=end - 1)
                m = self._mentions.at(p, of.i) if of is not None else None
                actor = m.actor if m is not None and m.actor.key not in ctx.used else None
            if actor is not None:
                return self._check(actor, step)
        # "le secrétaire au Trésor X": a title stands for the person it introduces
        if token.lemma_.lower() in self._role_nouns:
            inside = [self._mentions.at(p, c.i) for c in token.subtree]
            found = [m for m in inside if m is not None and m.actor.key not in ctx.used]
            found.sort(key=lambda m: m.actor.type != "Person")
            for m in found:
                filler = self._filler_of_mention(m, ctx, step)
                if filler is not None:
                    return filler
        # "le fonds britannique Zegona", "le groupe X": a common noun with the name in apposition
        if self.in_lexicon([token], 0, "@refer_nouns"):
            preps = set().union(*self._preps.values())
            for child in token.subtree:
                m = self._mentions.at(p, child.i)
                if m is not None and child.i > token.i and not self._introduced_by(m, preps):
                    filler = self._filler_of_mention(m, ctx, step)
                    if filler is not None:
                        return filler
        # any other common noun with its determiner and an organisation named right after it,
        # with no preposition between ("its rival X", "the drone maker X"): an apposition
        # the lexicon of description heads cannot list in full
        if token.pos_ == "NOUN" and any(c.dep_ == "det" for c in token.children):
            preps = set().union(*self._preps.values())
            for child in token.subtree:
                m = self._mentions.at(p, child.i)
                if m is None or child.i <= token.i or m.actor.type == "Person" or m.start - token.i > 3:
                    continue
                if any(doc[k].lower_ in preps or doc[k].pos_ in ("VERB", "AUX", "PUNCT")
                       for k in range(token.i + 1, m.start)) or self._introduced_by(m, preps):
                    continue
                filler = self._filler_of_mention(m, ctx, step)
                if filler is not None:
                    return filler
        # "un consortium mené par X" stands for X
        if token.lemma_.lower() in self._consortium:
            for child in token.subtree:
                m = self._mentions.at(p, child.i)
                if m is not None and m.actor.key not in ctx.used:
                    return self._filler_of_mention(m, ctx, step)
        return None

    def _filler_of_mention(self, mention: Mention, ctx: _Context, step: Step) -> Filler | None:
        if mention.actor.key in ctx.used or not self._fits(mention.actor, step.constraint):
            return None
        part = self._part_around(mention, ctx)
        return part or mention.actor

    def _check(self, actor: ActorRef | None, step: Step) -> ActorRef | None:
        return actor if actor is not None and self._fits(actor, step.constraint) else None

    def _fits(self, actor: ActorRef, constraint: str | None) -> bool:
        """Whether an actor satisfies a slot's type constraint ({gov}, {person}, ...)."""
        if constraint is None or constraint.startswith(("@", "!@")):
            return True
        if constraint == "gov":
            return self._is_gov(actor)
        if constraint == "person":
            return actor.type == "Person"
        if constraint == "media":
            return actor.type == "Media"
        if constraint == "org":
            return actor.type in ("Organization", "Government")
        if constraint == "firm":
            # where a person is as likely as a company (whom a letter is sent to), only a
            # name known as an organisation
            return actor.type == "Organization"
        if constraint == "company":
            # the small model often tags company names as people: only rule out authorities and media
            return actor.type not in ("Government", "Media")
        return True

    def _part(self, noun: Token, ctx: _Context) -> Part | None:
        """"ses activités américaines", "les actifs de X": a part and whose it is."""
        p = ctx.sentence.para
        doc = noun.doc
        k = noun.i + 1
        while k < ctx.sentence.span.end and doc[k].pos_ == "ADJ" and self._mentions.at(p, k) is None:
            k += 1
        if k < ctx.sentence.span.end and self._mentions.at(p, k) is not None:
            return None  # "sa filiale Lunaris": a company with its own name, not a part
        for child in noun.children:
            if child.lower_ in self._possessives:
                # the owner may well be the seller already in another slot
                actor = self.resolve_pronoun(child, ctx, allow_used=True)
                return Part(actor, self._region(noun, None), noun.text) if actor else None
        owner = self._prep_child(noun, "de")
        whole = self._mentions.at(p, owner.i) if owner is not None else None
        if whole is None or whole.actor.type != "Organization":
            return None
        return Part(whole.actor, self._region(noun, whole), noun.text)

    def _part_around(self, mention: Mention, ctx: _Context) -> Part | None:
        """"les activités américaines de X": the mention is the whole of a part."""
        if mention.actor.type != "Organization":
            return None
        doc = ctx.sentence.span.doc
        k = mention.start - 1
        while k >= 0 and doc[k].pos_ == "DET":
            k -= 1
        if k < 1 or doc[k].lower_ not in self._preps["de"]:
            return None
        j = k - 1
        while j >= 0 and (doc[j].pos_ in ("ADJ", "NOUN", "PROPN") and doc[j].lemma_.lower() not in self._part_nouns) \
                and k - j < 4:
            j -= 1
        if j < 0 or doc[j].lemma_.lower() not in self._part_nouns:
            return None
        return Part(mention.actor, self._region(doc[j], mention), doc[j].text)

    def _region(self, noun: Token, whole: Mention | None) -> str | None:
        doc = noun.doc
        for k in range(noun.i + 1, min(noun.i + 4, len(doc))):
            if whole is not None and k >= whole.start:
                break
            place = self.finder.place_of(doc[k])
            if place:
                return place
        if whole is not None:  # "les activités de X aux États-Unis"
            k = whole.end
            while k < len(doc) and k <= whole.end + 5:
                if doc[k].lower_ in self._preps["à"] | self._preps["en"]:
                    words = []
                    j = k + 1
                    while j < len(doc) and (doc[j].pos_ == "PROPN" or doc[j].text[:1].isupper()):
                        words.append(doc[j])
                        j += 1
                    place = self.finder.place_of_span(words) if words else None
                    if place:
                        return place
                if doc[k].is_punct and doc[k].text not in ",":
                    break
                k += 1
        return None

    def _expand(self, first: Filler, ctx: _Context) -> list[Filler]:
        """The other members of a list of actors joined by connectors from the lexicon."""
        out = [first]
        key = first.whole.key if isinstance(first, Part) else first.key
        p, span = ctx.sentence.para, ctx.sentence.span
        inside = self._mentions.in_span(p, span.start, span.end)
        current = next((m for m in inside if m.actor.key == key), None)
        if current is None:
            return out
        doc = span.doc
        out = self._members_before(current, inside, doc, ctx) + out
        for m in inside:
            if m.start < current.end:
                continue
            if m.actor.key == current.actor.key:  # "Global Infrastructure Partners (GIP)"
                current = m
                continue
            # brackets around an acronym are not part of the list's wording
            between = [t.lower_ for t in doc[current.end : m.start] if t.text not in "()"]
            if not between or between[0] not in self._connectors:
                break
            if not all(w in self._connectors or w in self._fillers for w in between) or len(between) > 6:
                break
            # "Faute d'accord de Pékin, Valmont a renoncé": after a bare comma, the subject of
            # the clause is not one more member of the list
            if all(w == "," for w in between) and doc[m.start].dep_.startswith("nsubj") \
                    and not doc[current.start].dep_.startswith("nsubj"):
                break
            if m.actor.key not in ctx.used and all(
                (f.whole.key if isinstance(f, Part) else f.key) != m.actor.key for f in out
            ) and m.actor.type != "Media":
                out.append(m.actor)
                if any(w in self._disjunctions for w in between):
                    ctx.alternatives = True
            current = m
        return out

    def _members_before(self, subject: Mention, inside: list[Mention], doc, ctx: _Context) -> list[Filler]:
        """"X et Y ont annoncé ...", parsed with Y alone as the subject: the members joined to a
        subject by a conjunction before it (a bare comma there closes an opening phrase)."""
        if not doc[subject.start].dep_.startswith("nsubj"):
            return []
        members: list[Filler] = []
        current = subject
        for m in reversed([m for m in inside if m.end <= subject.start]):
            between = [t.lower_ for t in doc[m.end : current.start] if t.text not in "()"]
            if not between or len(between) > 6 or not all(w in self._connectors or w in self._fillers for w in between):
                break
            if not any(w in self._connectors and w != "," for w in between):
                break
            if any(w in self._disjunctions for w in between):
                break  # rivals ("X ou Y"), not partners: left to the rightward reading
            if m.actor.key in ctx.used or m.actor.type == "Media":
                break
            members.insert(0, m.actor)
            current = m
        return members

    # -- pronouns, negation, hedging -----------------------------------------------

    def resolve_pronoun(self, token: Token, ctx: _Context, *, allow_used: bool = False) -> ActorRef | None:
        """The nearest earlier actor not already in another slot of this match; for a
        possessive, the subject of its clause first ("X détient 96 % de Y à l'issue de son
        offre": X's offer)."""
        p = ctx.sentence.para
        preferred = self._salient_antecedent(token, ctx)
        if preferred is not None and (allow_used or preferred.actor.key not in ctx.used):
            return preferred.actor
        earliest = ctx.sentence.index - 2
        for m in self._mentions.before(p, token.i):
            sentence = self._sentence_of(m)
            if sentence is not None and sentence.index < earliest:
                break
            if m.kind == WEAK and not allow_used:
                continue
            if m.actor.type == "Media" or (m.actor.key in ctx.used and not allow_used):
                continue
            return m.actor
        return None

    def _salient_antecedent(self, pronoun: Token, ctx: _Context) -> Mention | None:
        """The subject before all else: a possessive in a clause stands first for that
        clause's subject ("X, which Y runs, thinks its offer ...": X's offer, not Y's), and a
        subject pronoun opening a sentence for the subject of the sentence before ("X has
        decided ... . It announced an offer": X)."""
        if pronoun.lower_ in self._possessives:
            clause = pronoun.head
            while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
                clause = clause.head
            subject = self._child(clause, ("nsubj",)) if clause.pos_ in ("VERB", "AUX") else None
            if subject is not None and subject.i < pronoun.i:
                return self._first_actor_in(subject, ctx.sentence.para)
            return None
        if pronoun.dep_ != "nsubj" or pronoun.lower_ not in self._pronouns or ctx.sentence.index == 0:
            return None
        if any(t.pos_ in ("VERB", "AUX") for t in ctx.sentence.span if t.i < pronoun.i):
            return None  # inside the sentence, the nearest actor is the better guess
        previous = self._sentences[ctx.sentence.index - 1]
        # its first subject that names an actor (the model does not always root the sentence
        # on its main verb); a sentence no rule needed is not parsed, and gives none
        for subject in (t for t in previous.span if t.dep_ == "nsubj"):
            found = self._first_actor_in(subject, previous.para)
            if found is not None:
                return found
        return None

    def _first_actor_in(self, phrase: Token, para: int) -> Mention | None:
        """The first organisation or person named in a phrase (a description with its name)."""
        for t in sorted(phrase.subtree, key=lambda t: t.i):
            m = self._mentions.at(para, t.i)
            if m is not None and m.kind != WEAK and m.actor.type in ("Organization", "Person"):
                return m
        return None

    def _sentence_of(self, mention: Mention) -> Sentence | None:
        for s in self._sentences:
            if s.para == mention.para and s.span.start <= mention.start < s.span.end:
                return s
        return None

    def negated(self, token: Token) -> bool:
        """Negation on the word or on the verbs it depends on ("n'a pas l'intention de vendre"),
        a negative determiner on it ("aucune offre"), or a governing verb that denies what
        it governs ("exclut de racheter", "dément toute offre")."""
        if self._hypothetical(token):
            return True
        current, hops = token, 0
        launched = False  # passed a verb that files an offer ("lancer une offre")
        while hops < 3:
            for child in current.children:
                if child.dep_ in ("advmod", "det") and (
                    "Polarity=Neg" in str(child.morph) or child.lemma_.lower() in self._negation
                ):
                    return True
                if child.dep_ in ("mark", "case") and child.lower_ in self._privative_marks \
                        and current.pos_ == "VERB":
                    return True  # "sans lancer d'offre", "sans racheter X"
            launched |= current.pos_ == "VERB" and self.in_lexicon([current], 0, "@offer_verbs") > 0
            infinitive = current.pos_ == "VERB" and "VerbForm=Inf" in str(current.morph)
            if infinitive and self._governed_by_forgoing(current, launched):
                return True
            if current.pos_ == "VERB" and self._denied_infinitive(current):
                return True
            # "(pas reçu le) feu vert": the last word of a trigger phrase hangs on its first
            if current.dep_ not in ("xcomp", "obj", "acl", "nmod", "ccomp", "amod", "fixed", "flat", "obl:arg") \
                    or current.head.i == current.i:
                return False
            current, hops = current.head, hops + 1
            # by form too: the model reads "dément" as the adjective
            if self.in_lexicon([current], 0, "@negating_verbs"):
                return True
            if self.in_lexicon([current], 0, "@denying_reflexive_verbs") and any(
                    c.lower_ in ("se", "s'") for c in current.children):
                return True  # "defends itself from wanting to buy": a denial
            if launched and self.in_lexicon([current], 0, "@forgoing_verbs"):
                return True  # "renonce à lancer une offre": no offer was made
        return False

    def _hypothetical(self, token: Token) -> bool:
        """"une indemnité en cas d'échec", "en cas de refus du conseil": a word after a mark of
        a case only supposed (its determiner and adjectives aside) states no event."""
        doc = token.doc
        k = token.i - 1
        while k >= 0 and doc[k].pos_ in ("DET", "ADJ") and token.i - k <= 3:
            k -= 1
        for start in range(max(0, k - 3), k + 1):
            length = self.in_lexicon(doc, start, "@hypothetical_marks")
            if length and start + length == k + 1:
                return True
        return False

    def _denied_infinitive(self, verb: Token) -> bool:
        """"X dément être monté au capital de Y", "nie avoir déposé une offre": an infinitive
        (or a past infinitive's auxiliary) right after a verb that denies it, by form, since the
        model often reads that verb as a noun or a pronoun."""
        infinitives = [verb] if "VerbForm=Inf" in str(verb.morph) else []
        infinitives += [c for c in verb.children if c.dep_.startswith("aux") and "VerbForm=Inf" in str(c.morph)]
        if not infinitives:
            return False
        k = min(t.i for t in infinitives) - 1
        while k >= 0 and verb.doc[k].pos_ == "ADV":
            k -= 1
        return k >= 0 and self.in_lexicon([verb.doc[k]], 0, "@negating_verbs") > 0

    def _governed_by_forgoing(self, infinitive: Token, launched: bool) -> bool:
        """The word just before the infinitive's preposition denies it, whatever the model hung the
        infinitive on ("X gives up launching", with the verb read as part of the name X)."""
        mark = next((c for c in infinitive.children if c.dep_ == "mark" and c.i == infinitive.i - 1), None)
        if mark is None or mark.i == 0:
            return False
        before = [infinitive.doc[mark.i - 1]]
        return self.in_lexicon(before, 0, "@negating_verbs") > 0 or (
            launched and self.in_lexicon(before, 0, "@forgoing_verbs") > 0)

    def hedging(self, trigger: Token, sentence: Sentence) -> tuple[bool, ActorRef | None]:
        """Conditional mood or a "selon X" cue in the sentence: the claim is reported."""
        reported_by = None
        span = sentence.span
        for k, token in enumerate(span):
            if token.lower_ in self._reporting or self.in_lexicon(span, k, "@reporting_cues"):
                for m in self._mentions.in_span(sentence.para, token.i + 1, min(token.i + 6, span.end)):
                    reported_by = m.actor
                    break
                if reported_by is not None:
                    break
        conditional = False
        current, hops = trigger, 0
        while hops < 5:
            if current.i != trigger.i and current.pos_ == "NOUN" and self.in_lexicon([current], 0, "@rumour_nouns"):
                conditional = True  # "la rumeur d'une offre de X": only said to be
            for t in (current, *current.children):
                if not (t.i == current.i or t.dep_.startswith("aux")) or t.pos_ not in ("VERB", "AUX"):
                    continue
                # the small model often tags a conditional as indicative: trust the ending too
                if self._conditional_form(t):
                    if current.dep_ == "ccomp" and not self._is_conditional(current.head):
                        continue  # "X a dit qu'il ne vendrait pas": reported, not hedged
                    conditional = True
            if current.head.i == current.i:
                break
            current, hops = current.head, hops + 1
        return conditional or reported_by is not None, reported_by

    def _is_conditional(self, verb: Token) -> bool:
        return any(self._conditional_form(t) for t in (verb, *(c for c in verb.children if c.dep_.startswith("aux"))))

    def _conditional_form(self, verb: Token) -> bool:
        """A conditional by its ending, or by its tag unless it is a participle after an
        auxiliary: in a compound tense the auxiliary carries the mood, and the model's mood
        on the participle itself ("has completed" tagged conditional) is noise."""
        if verb.lower_.endswith(self._conditional_endings):
            return True
        if "Mood=Cnd" not in str(verb.morph):
            return False
        return not any(c.dep_.startswith("aux") and "Mood=" in str(c.morph) for c in verb.children)

    # -- dates ----------------------------------------------------------------------

    def _in_date(self, sentence: Sentence, token: Token) -> bool:
        """Whether the token is part of a date mention (a weekday, a day of a month)."""
        return any(d.start <= sentence.offset + token.idx < d.end for d in self.dates)

    @staticmethod
    def _token_at(sentence: Sentence, start: int, end: int) -> Token | None:
        tokens = [t for t in sentence.span
                  if start <= sentence.offset + t.idx < end]
        if not tokens:
            return None
        inside = {t.i for t in tokens}
        heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
        return heads[0] if heads else tokens[0]

    @staticmethod
    def _value_start(date: DateMention, sentence: Sentence) -> int:
        """Where the date itself begins inside a mention that includes its cue words."""
        digit = next((k for k, c in enumerate(date.text) if c.isdigit()), None)
        if digit is None:
            return date.start
        start = date.start + digit
        for t in sentence.span:
            at = sentence.offset + t.idx
            if date.start <= at < start and t.pos_ in ("DET", "ADP") and t.i + 1 < len(t.doc) \
                    and sentence.offset + t.doc[t.i + 1].idx >= start:
                return at
        return start

    def _label(self, verb: Token, date: DateMention, sentence: Sentence) -> str:
        value_start = self._value_start(date, sentence)

        def in_date(token: Token) -> bool:
            at = sentence.offset + token.idx
            if value_start <= at < date.end:
                return True
            return date.start <= at < value_start and token.pos_ in ("ADP", "ADV", "DET")

        skip_deps = ("nsubj", "nsubj:pass", "advcl", "punct", "conj", "cc", "mark", "parataxis",
                     "acl:relcl", "advmod", "aux:tense", "aux:pass", "obl:mod")
        words: list[Token] = []

        def visit(token: Token, depth: int) -> None:
            if not in_date(token):
                words.append(token)
            for child in token.children:
                # (a noun the model calls an adverb is part of the phrase: "will come to an end")
                if (child.dep_ in skip_deps and not (child.dep_ == "advmod" and child.pos_ == "NOUN")) \
                        or depth > 4:
                    continue
                if any(in_date(t) for t in child.subtree):
                    if child.dep_ not in ("xcomp", "obj", "ccomp", "obl:arg"):
                        continue
                visit(child, depth + 1)

        visit(verb, 0)
        verb_phrase = {verb.i} | {c.i for c in verb.children if c.dep_ in ("advmod", "fixed", "compound")}
        if not any(t.pos_ in ("NOUN", "PROPN") and t.i not in verb_phrase for t in words):
            # a verb alone says nothing ("will end", "was ending"): what ends or expires is
            # its subject ("the offer period will end"), or the modal's ("the talks must be
            # concluded")
            governors = [verb, *([verb.head] if verb.dep_ == "xcomp" and verb.head.i != verb.i else [])]
            subject = next((c for g in governors for c in g.children if c.dep_ in ("nsubj", "nsubj:pass")
                            and c.pos_ in ("NOUN", "PROPN")), None)
            if subject is not None:
                words += [g for g in governors[1:] if not in_date(g)]
                words += [c for g in governors for c in g.children if c.dep_ in ("aux:tense", "aux:pass")]
                words += [t for t in subject.subtree if not in_date(t) and t.dep_ != "punct"
                          and t.dep_ != "acl:relcl" and not any(a.dep_ == "acl:relcl" for a in t.ancestors
                                                                if a.i in {u.i for u in subject.subtree})]
        words.sort(key=lambda t: t.i)
        text = " ".join(t.text for t in words[:_LABEL_WORDS])
        return re.sub(r"\s+([,.])", r"\1", text).replace("' ", "'")
