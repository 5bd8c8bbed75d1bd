"""From an article to facts: plain dataclasses, each with the evidence behind it.

``extract(article)`` parses the body (kg.nlp), finds actor mentions
(kg.mentions), finds dates (kg.dates), runs the rules (kg.rules.engine) and
assembles what the rules matched into facts an analyst would recognise: bids
with their status, deadlines, regulators, partnerships, stakes, ownership,
roles and lawsuits. Facts from one article are merged there (one bid per
bidder and target); merging across articles happens in the graph, through
stable IRIs.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

    from kg.corpus import Article
from kg.dates import DateRules, PartialDate, find_dates
from kg.mentions import REFERENCE, WEAK, ActorRef, MentionFinder, fold
from kg.namespaces import slugify
from kg.rules import Rulebook, default_rulebook
from kg.rules.engine import Engine, Match, Part, noun_group

# When one article states several statuses for the same bid, the later step of a deal's life
# wins: a rejection or a veto comes before the withdrawal it causes, and the closing after all.
_STATUS_ORDER = ("announced", "pending", "approved", "rejected", "blocked", "withdrawn", "completed")
_GOV_ROLE_WINDOW = 5


@dataclass(frozen=True)
class Evidence:
    article_id: str
    sentence: str
    start: int
    end: int
    rule: str


@dataclass
class Actor:
    key: str
    name: str
    type: str
    alt_labels: set[str] = field(default_factory=set)
    wikidata: str | None = None
    nationality: str | None = None
    part_of: str | None = None
    region: str | None = None
    # keys of the institutions it acts for, among the article's actors (dkg:actsFor)
    acts_for: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class StatusChange:
    status: str
    evidence: Evidence
    date: PartialDate | None = None
    launch: bool = False  # an offer made (not merely named): a new step even after a rejection
    # told in the pluperfect (the board had rejected it): background, before what the
    # article reports in the present or the compound past
    anterior: bool = False


@dataclass
class Fact:
    """Something the article states, with who plays which role in it.

    ``kind`` is one of bid, deadline, partnership, stake, ownership, role,
    lawsuit, regulation; ``roles`` maps a role name (bidder, target, ...) to
    actor keys; ``attrs`` holds the literal values (status, title, action, ...).
    """

    kind: str
    roles: dict[str, list[str]]
    attrs: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    hedged: bool = False
    reported_by: str | None = None
    due: PartialDate | None = None
    # when the sentence says it happened ("Fin août, le ministère a amendé ..."), never guessed
    event_date: PartialDate | None = None
    # "concerns" -> indexes of the bids (in ArticleFacts.of_kind("bid")) this fact is about
    links: dict[str, list[int]] = field(default_factory=dict)
    # a bid's mentions: (paragraph, token) of the deal words (nouns, verbs) that name it
    mentions: set[tuple[int, int]] = field(default_factory=set)
    # a bid's status changes as the article states them: (status, evidence, date the sentence
    # gives or None); the latest status is derived from it (latest_status)
    history: list[StatusChange] = field(default_factory=list)

    def actors(self, role: str) -> list[str]:
        return self.roles.get(role, [])


@dataclass
class ArticleFacts:
    article: Article
    actors: dict[str, Actor]
    facts: list[Fact]

    def of_kind(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]


class Extractor:
    """Holds the loaded rulebook, mention finder and engine; reuse it across articles."""

    def __init__(self, rulebook: Rulebook | None = None, *, selective: bool = True,
                 date_rules: DateRules | None = None):
        """``selective``: parse only the sentences a rule could use (see ``matches``); off,
        every sentence goes through the whole spaCy pipeline (slower, same facts).
        ``date_rules``: the dates of the rules' language folder (default: the packaged ones)."""
        from kg.nlp import inflected_forms, pipeline

        self.rulebook = rulebook or default_rulebook()
        tokenizer = pipeline().tokenizer

        def tokenize(text: str) -> list[str]:
            return [t.text for t in tokenizer(text)]

        self.finder = MentionFinder(self.rulebook, tokenize)
        self.engine = Engine(self.rulebook, self.finder, tokenize)
        self._gov_roles = set(self.rulebook.lexicons["government_roles"])
        # the words rules fire on, the units of figures ("utilisateurs", "dollars") and the
        # government titles that make a person a regulator (read from the tags around the
        # name), in every inflection: how sentences worth parsing are recognised before tagging
        lex = self.rulebook.lexicons
        units = [*lex["count_units"], *(pair.split("=", 1)[0] for pair in lex["currency_units"])]
        titles = [title.split()[0] for title in lex["government_roles"]]
        self._trigger_forms = inflected_forms([*self.engine.trigger_words, *units, *titles])
        self.selective = selective
        self.date_rules = date_rules

    def matches(self, text: str, *, anchor: PartialDate | None = None) -> tuple[list[Match], object]:
        from kg.nlp import FULL, NAMES, PARSE, TOKENS, parse

        triggers = self._trigger_forms
        dates = find_dates(text, anchor=anchor, rules=self.date_rules)
        date_starts = sorted(d.start for d in dates)

        recognised: set[str] = set()  # name-like words of the sentences the recogniser sees

        def plan(start: int, sentence: Span) -> str:
            # Rules fire on a trigger word with an actor around it, or on a date: only those
            # sentences need tags and a parse. The entity recogniser (40 % of the model's
            # time) only needs to see a name once: mention finding carries a name the
            # article has used as an actor to its later occurrences.
            names = {t.text for t in sentence if self.finder.is_name_like(t) and not self.finder.is_listed(t)}
            new_name = not names <= recognised
            k = bisect_left(date_starts, start)
            if (k < len(date_starts) and date_starts[k] < start + len(sentence.text)) or (
                    any(t.lower in triggers for t in sentence) and self.finder.may_mention_actor(sentence)):
                need = FULL if new_name else PARSE
            else:
                need = NAMES if new_name else TOKENS
            if new_name:
                recognised.update(names)
            return need

        paragraphs = parse(text, plan=plan if self.selective else None)
        mentions = self.finder.find(paragraphs)
        gov_persons = self._government_persons(paragraphs, mentions)
        return self.engine.run(paragraphs, mentions, dates, gov_persons), mentions

    def extract(self, article: Article) -> ArticleFacts:
        matches, mentions = self.matches(article.body, anchor=article.date)
        return _assemble(article, matches, mentions, self.engine)

    def _government_persons(self, paragraphs, mentions) -> set[str]:
        """People introduced by a government title ("le secrétaire américain au Trésor X")."""
        keys = set()
        for m in mentions.mentions:
            if m.actor.type != "Person":
                continue
            doc = paragraphs[m.para].doc
            for k in range(m.start - 1, max(m.start - 1 - _GOV_ROLE_WINDOW, -1), -1):
                if doc[k].pos_ in ("VERB", "AUX") or doc[k].text in ".;:":
                    break
                if doc[k].lemma_.lower() in self._gov_roles or doc[k].lower_ in self._gov_roles:
                    if not self._title_of_a_company(doc, k, m.para, mentions):
                        keys.add(m.actor.key)
                    break
        return keys

    def _title_of_a_company(self, doc, k: int, para: int, mentions) -> bool:
        """"the chairman of the board", "the president of <company>": the title is held in
        a company, whose president is no government."""
        if not self.engine.in_lexicon(doc, k, "@shared_titles"):
            return False
        if k + 2 >= len(doc) or doc[k + 1].lower_ not in ("de", "du", "d'", "d\u2019"):
            return False
        after = doc[k + 2] if doc[k + 2].pos_ != "DET" else doc[min(k + 3, len(doc) - 1)]
        if self.engine.in_lexicon([after], 0, "@board_nouns"):
            return True
        named = mentions.at(para, after.i)
        return named is not None and named.actor.type == "Organization"


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    return Extractor()


def extract(article: Article) -> ArticleFacts:
    """Extract the facts of one article with the default French rules."""
    return default_extractor().extract(article)


# -- assembly ---------------------------------------------------------------------


class _Assembler:
    def __init__(self, article: Article, mentions, engine: Engine):
        self.article = article
        self.engine = engine
        self.actors: dict[str, Actor] = {}
        for m in mentions.mentions:
            if m.kind != WEAK:
                self._actor(m.actor)
        self.officials = {m.actor.key for m in mentions.mentions if m.actor.entry and m.actor.entry.acts_for}
        # who acts for an institution the article names: "l'administration X" (X acts for its
        # government), or a gazetteer entry's own acts_for
        self.acting_for: dict[str, set[str]] = {k: set(v) for k, v in mentions.acting_for.items()}
        for person in mentions.linked.values():
            self._actor(person)
        for m in mentions.mentions:
            if m.kind != WEAK and m.actor.entry is not None and m.actor.entry.acts_for:
                self.acting_for.setdefault(m.actor.key, set()).add(slugify(m.actor.entry.acts_for))
        self.mention_counts: Counter[str] = Counter(m.actor.key for m in mentions.mentions if m.kind != WEAK)
        self.surfaces: dict[str, set[str]] = {}
        self.set_here: set[int] = set()  # deadlines whose setter their own sentence names
        for m in mentions.mentions:
            self.surfaces.setdefault(m.actor.key, set()).add(" ".join(m.surface.split()))

    def _actor(self, ref: ActorRef) -> str:
        if ref.key not in self.actors:
            entry = ref.entry
            self.actors[ref.key] = Actor(
                ref.key, ref.name, ref.type,
                wikidata=entry.wikidata if entry else None,
                nationality=entry.nationality if entry else None,
            )
        return ref.key

    def key(self, filler) -> str:
        if isinstance(filler, Part):
            whole = self._actor(filler.whole)
            if not filler.region:
                return whole
            name = f"{filler.whole.name} ({filler.region})"
            key = slugify(f"{filler.whole.key} {filler.region}")
            if key not in self.actors:
                self.actors[key] = Actor(key, name, "Organization", part_of=whole, region=filler.region)
            if filler.surface.strip():
                self.actors[key].alt_labels.add(" ".join(filler.surface.split()))
            return key
        return self._actor(filler)

    def root(self, key: str) -> str:
        while self.actors[key].part_of:
            key = self.actors[key].part_of  # type: ignore[assignment]
        return key

    def evidence(self, match: Match) -> Evidence:
        return self.sentence_evidence(match.sentence, match.rule.id)

    def sentence_evidence(self, s, rule_id: str) -> Evidence:
        # the sentence as the article writes it (the parser saw a lightly normalised copy)
        text = self.article.body[s.start_char : s.end_char]
        return Evidence(self.article.id, text, s.start_char, s.end_char, rule_id)

    def finish(self) -> dict[str, Actor]:
        for key, targets in self.acting_for.items():
            if key in self.actors:
                self.actors[key].acts_for |= {t for t in targets if t in self.actors and t != key}
        for key, actor in self.actors.items():
            for surface in self.surfaces.get(key, ()):
                if surface != actor.name:
                    actor.alt_labels.add(surface)
        return self.actors


def _assemble(article: Article, matches: list[Match], mentions, engine: Engine) -> ArticleFacts:
    asm = _Assembler(article, mentions, engine)
    facts: list[Fact] = []

    bid_matches = [m for m in matches if m.rule.relation == "bid"]
    _executives_act_for_companies(asm, bid_matches, [m for m in matches if m.rule.id.startswith("role.")])
    regulators = {asm.key(r) for m in matches if m.rule.relation == "regulation"
                  for r in m.slots.get("regulator", [])}
    owned_by: dict[str, set[str]] = {}
    for match in matches:
        if match.rule.relation == "ownership":
            for owner in match.slots.get("owner", []):
                owned_by.setdefault(asm.key(owner), set()).update(asm.key(o) for o in match.slots.get("owned", []))
    bids = _drop_owner_bids(asm, _bids(asm, bid_matches, regulators, owned_by))
    _apply_statuses(asm, bids, [m for m in matches if m.rule.relation == "status"])
    facts.extend(bids)
    main_bids = _main_bids(asm, bids)

    for match in matches:
        relation = match.rule.relation
        if relation == "regulation":
            fact = _regulation(asm, match, bids, main_bids)
        elif relation == "deadline":
            fact = _deadline(asm, match, main_bids)
        elif relation == "partnership":
            facts.extend(_partnership(asm, match))
            continue
        elif relation in ("stake", "ownership", "role", "lawsuit"):
            fact = _simple(asm, match)
        else:
            continue
        if fact is not None:
            facts.append(fact)
    facts.extend(_authorities_setting_deadlines(asm, facts, bids, main_bids))
    _owners_sell(asm, bids, [m for m in matches if m.rule.relation == "ownership"])
    facts.extend(_completed_bids_own(asm, bids))
    facts.extend(_figures(asm, mentions, bids, main_bids))
    facts = _dedupe(facts)
    _deadlines_keep_deals_open(article, bids, facts)
    _partners_join_bids(facts)
    _date_events(facts, engine.dates)
    _date_status_changes(bids, engine.dates, article.date)
    return ArticleFacts(article, asm.finish(), facts)


def _executives_act_for_companies(asm: _Assembler, bids: list[Match], roles: list[Match]) -> None:
    """"Antoine Frérot, le PDG de Veolia, a proposé de racheter ...": the company bids."""
    executive_titles = set(asm.engine.book.lexicons["executive_titles"])
    for role in roles:
        # the rule's trigger may be the title's first word only (the first of a two-word title)
        title_here = asm.engine.in_lexicon(role.trigger.doc, role.trigger.i, "@executive_titles")
        if " ".join(role.trigger_text.lower().split()) not in executive_titles and not title_here:
            continue
        people = role.slots.get("person", [])
        orgs = [o for o in role.slots.get("org", []) if isinstance(o, ActorRef) and o.type == "Organization"]
        if not people or not orgs:
            continue
        for match in bids:
            if match.sentence.index != role.sentence.index:
                continue
            match.slots["bidder"] = [orgs[0] if isinstance(b, ActorRef) and b.key == people[0].key else b
                                     for b in match.slots.get("bidder", [])]


def _bids(asm: _Assembler, matches: list[Match], regulators: set[str],
          owners_of_something: dict[str, set[str]]) -> list[Fact]:
    # the article's main target fills bids whose target the sentence leaves implicit
    targets = Counter(
        asm.key(t) for m in matches for t in m.slots.get("target", [])
    )
    default_target = targets.most_common(1)[0][0] if targets else _salient_company(asm, matches)
    bids: list[Fact] = []
    orphans: list[tuple[Match, str | None]] = []
    # who sells or owns what: the owner of the article's main target may turn down offers for it
    owned_by: dict[str, set[str]] = {}
    for match in matches:
        for seller in match.slots.get("seller", []):
            owned_by.setdefault(asm.key(seller), set()).update(asm.key(t) for t in match.slots.get("target", []))
    for owner, owned in owners_of_something.items():
        owned_by.setdefault(owner, set()).update(owned)
    # who turns a deal word down is not who that word names as bidder (a possessive misread)
    rejecters_at: dict[tuple[int, int], set[str]] = {}
    for match in matches:
        for position in match.deal_anchor() or () if match.slots.get("rejected_by") else ():
            rejecters_at.setdefault(position, set()).update(asm.key(r) for r in match.slots["rejected_by"])
    # "X proposed to buy Y, an offer ...": a deal word without target, in a sentence that
    # gives the same bidder a target, is that bid
    sentence_targets: dict[tuple[int, str], str] = {}
    for match in matches:
        for bidder in match.slots.get("bidder", []) if match.slots.get("target") else ():
            sentence_targets.setdefault((match.sentence.index, asm.key(bidder)), asm.key(match.slots["target"][0]))
    for match in matches:
        bidders = [asm.key(b) for b in match.slots.get("bidder", [])]
        if match.trigger.pos_ in ("NOUN", "PROPN"):
            rejecters_here = rejecters_at.get((match.sentence.para, match.trigger.i), set())
            bidders = [b for b in bidders if b not in rejecters_here]
        target_fillers = match.slots.get("target", [])
        same_sentence = [sentence_targets[(match.sentence.index, b)] for b in bidders
                         if (match.sentence.index, b) in sentence_targets]
        target = asm.key(target_fillers[0]) if target_fillers else (same_sentence or [default_target])[0]
        rejecters = [asm.key(r) for r in match.slots.get("rejected_by", [])]
        if not target_fillers and rejecters and asm.actors[rejecters[0]].type == "Organization" \
                and not (target and asm.root(target) in {asm.root(o) for o in owned_by.get(rejecters[0], ())}):
            # an offer turned down with no target named is the rejecter's own, unless the
            # rejecter owns what the offer would be for
            target = rejecters[0]
        if target is None and match.slots.get("seller"):
            target = asm.key(match.slots["seller"][0])  # "négocier avec X" and nothing else: X itself
        if not bidders:
            orphans.append((match, target))
            continue
        if target is None:
            continue
        root = asm.root(target)
        if asm.actors[root].type in ("Government", "Media"):
            continue  # "après le feu vert de Londres": authorities are not taken over
        # who reviews, approves or blocks the article's deals is not one of their bidders
        # (nor is a court: it judges deals, it never makes one)
        bidders = [b for b in bidders if b not in (root, target) and asm.actors[b].type != "Media"
                   and b not in regulators and not _is_court(asm, b)]
        if not bidders:
            if match.rule.status and match.rule.status != "announced":
                orphans.append((match, target))  # what it says of the deal still holds
            continue
        seller = [asm.key(s) for s in match.slots.get("seller", [])]
        seller = [s for s in seller if s not in bidders and s != target]
        rejected_by = [r for r in rejecters if r not in bidders]
        status, evidence = _stated_status(asm, match), asm.evidence(match)
        # rivals joined by "ou" make one bid each; partners joined by "et", one bid together
        for group in ([[b] for b in bidders] if match.alternatives else [bidders]):
            fact = Fact(
                "bid",
                {"bidder": group, "target": [target], "seller": list(seller), "rejected_by": list(rejected_by),
                 "regulator": []},
                {"status": status},
                [evidence],
                match.hedged,
                asm.key(match.reported_by) if match.reported_by else None,
                mentions=_deal_mentions(match),
                history=[StatusChange(status, evidence, launch=status == "announced" and _launched(asm, match),
                                      anterior=_anterior(match))],
            )
            _merge_bid(asm, bids, fact)
    for match, target in orphans:
        _apply_orphan(asm, bids, match, target)
    return bids


def _launched(asm: _Assembler, match: Match) -> bool:
    """"X launched a hostile offer on Wednesday": a deal word made the object of an offer verb."""
    word = match.trigger
    return word.pos_ == "NOUN" and word.dep_ == "obj" and asm.engine.in_lexicon([word.head], 0, "@offer_verbs") > 0


def _deal_mentions(match: Match) -> set[tuple[int, int]]:
    """The deal words a bid rule read the bid from: its trigger when that is a noun ("the offer
    of X"), and the offer or sale word it located ("rejected the offer of X")."""
    # the trigger itself, noun or verb: "forbid X to buy Y" is said of the buying verb
    found = set(noun_group(match.sentence.para, match.trigger))
    found |= match.deal_anchor() or set()
    return found


def _linked(bids: list[Fact], match: Match) -> list[Fact]:
    """The bids named by the very deal word this match speaks of ("the offer, which X rejected")."""
    anchor = match.deal_anchor()
    return [b for b in bids if anchor & b.mentions] if anchor is not None else []


def _named_in(bid: Fact, match: Match) -> bool:
    """Whether a deal noun of the match's sentence names this bid (a verb may be re-described
    by a noun: "proposed to buy X, an offer rejected at once")."""
    span = match.sentence.span
    return any(p == match.sentence.para and span.start <= i < span.end and _names_by_noun(span.doc[i])
               for p, i in bid.mentions)


def _names_by_noun(token) -> bool:
    # the object of a light verb ("take control of X") is the verb phrase's naming
    return token.pos_ in ("NOUN", "PROPN") and not (token.dep_ == "obj" and token.head.pos_ == "VERB")


def _salient_company(asm: _Assembler, matches: list[Match]) -> str | None:
    """The company the article names most, bidders aside: what a bid without a stated target is for."""
    bidders = {asm.key(b) for m in matches for b in m.slots.get("bidder", [])}
    counts = Counter(
        key for key in asm.mention_counts.elements()
        if key not in bidders and asm.actors.get(key) is not None and asm.actors[key].type == "Organization"
    )
    if not counts:
        return None
    (best, n), *rest = [*counts.most_common(2), (None, 0)]
    return best if n >= 2 and n > rest[0][1] else None


def _apply_orphan(asm: _Assembler, bids: list[Fact], match: Match, target: str | None) -> None:
    """"The offer, rejected at once by X": a bid named without its bidder is the article's
    bid on that target; what the sentence says of it (status, who rejected it) applies."""
    linked = _linked(bids, match)
    if linked:
        for bid in linked:
            _move(asm, bid, match)
        return
    root = asm.root(target) if target else None
    rejecters = {asm.key(r) for r in match.slots.get("rejected_by", [])}
    roots = {asm.root(b.roles["target"][0]) for b in bids}
    if root is None and len(rejecters & roots) == 1:
        root = next(iter(rejecters & roots))  # who turns an offer down is its target
    concerned = [b for b in bids if root is None or asm.root(b.roles["target"][0]) == root]
    if match.deal_anchor() is not None:
        # the deal word it speaks of names none of them: not the deals its sentence names otherwise
        concerned = [b for b in concerned if not _named_in(b, match)]
    else:
        # the deal the sentence itself states comes before the others on the same target
        concerned = [b for b in concerned if _same_sentence(b, match)] or concerned
    if len({asm.root(b.roles["target"][0]) for b in concerned}) != 1:
        return  # several deals in the article: which one is meant is not said
    for bid in concerned:
        _move(asm, bid, match)


def _merge_bid(asm: _Assembler, bids: list[Fact], new: Fact) -> None:
    new_root = asm.root(new.roles["target"][0])
    for bid in bids:
        if asm.root(bid.roles["target"][0]) != new_root:
            continue
        if not set(bid.roles["bidder"]) & set(new.roles["bidder"]):
            continue
        # the more specific target (a part rather than the whole) wins
        if asm.actors[new.roles["target"][0]].part_of and not asm.actors[bid.roles["target"][0]].part_of:
            bid.roles["target"] = new.roles["target"]
        for role in ("bidder", "seller", "rejected_by"):
            bid.roles[role] += [k for k in new.roles[role] if k not in bid.roles[role]]
        bid.mentions |= new.mentions
        if _STATUS_ORDER.index(new.attrs["status"]) > _STATUS_ORDER.index(bid.attrs["status"]):
            bid.attrs["status"] = new.attrs["status"]
        bid.history += [c for c in new.history if c not in bid.history]
        bid.evidence += [e for e in new.evidence if e not in bid.evidence]
        bid.hedged = bid.hedged and new.hedged
        bid.reported_by = bid.reported_by if bid.hedged else None
        return
    bids.append(new)


def _drop_owner_bids(asm: _Assembler, bids: list[Fact]) -> list[Fact]:
    """Who sells or turns down bids for a company is on the other side: not a bidder for it."""
    other_side: dict[str, set[str]] = {}
    for bid in bids:
        root = asm.root(bid.roles["target"][0])
        other_side.setdefault(root, set()).update(bid.roles["seller"], bid.roles["rejected_by"])
    # "les opérations de la compagnie chinoise aux États-Unis", when that company is the seller
    # of the article's deal: it is the deal's target that is meant, not the seller itself
    sold_by = {seller: root for root, sides in other_side.items() for seller in sides}
    bidders_for: dict[str, set[str]] = {}
    for bid in bids:
        bidders_for.setdefault(asm.root(bid.roles["target"][0]), set()).update(bid.roles["bidder"])
    kept: list[Fact] = []
    for bid in bids:
        target = bid.roles["target"][0]
        root = asm.root(target)
        # only a part of the seller, or a bidder of the seller's deal, means that deal: a
        # seller may well be bid for in its own right by someone else
        if root in sold_by and sold_by[root] != root and (
                asm.actors[target].region or set(bid.roles["bidder"]) & bidders_for.get(sold_by[root], set())):
            region = asm.actors[target].region
            new_target = sold_by[root] if not region else asm.key(Part(_ref(asm, sold_by[root]), region, ""))
            bid.roles["target"] = [new_target]
            root = sold_by[root]
        bid.roles["bidder"] = [b for b in bid.roles["bidder"] if b not in other_side.get(root, ())]
        if bid.roles["bidder"]:
            _merge_bid(asm, kept, bid)
    return kept


def _ref(asm: _Assembler, key: str) -> ActorRef:
    actor = asm.actors[key]
    return ActorRef(actor.key, actor.name, actor.type)


def _apply_statuses(asm: _Assembler, bids: list[Fact], matches: list[Match]) -> None:
    """"the abandonment of its plan to acquire X", "the offer, rejected at once by Y": a status
    word moves the bids of its sentence, or the article's bid when it discusses only one."""
    for match in matches:
        if match.slots.get("preferred"):
            _rivals_turned_down(asm, bids, match)
            continue
        if _acts_on_something_else(asm, match):
            continue  # "postpone its general meeting", "reject the accusations"
        if match.rule.status != "completed" and _only_aimed_at(asm, match.trigger):
            continue  # "avait tenté de s'en retirer" (a closing aimed at is pending: _stated_status)
        linked = _linked(bids, match)
        if linked:
            for bid in linked:
                _move(asm, bid, match)
        elif match.deal_anchor() is not None and any(_named_in(bid, match) for bid in bids):
            _apply_orphan(asm, bids, match, None)  # said of another deal word than those bids'
        elif any(_same_sentence(bid, match) for bid in bids):
            for bid in bids:
                if _same_sentence(bid, match):
                    _move(asm, bid, match)
        elif _about_a_deal(asm, match):
            _apply_orphan(asm, bids, match, None)
        else:
            for bid in _bids_given_up_by(asm, bids, match):
                _move(asm, bid, match)


def _bids_given_up_by(asm: _Assembler, bids: list[Fact], match: Match) -> list[Fact]:
    """"X threw in the towel", with no deal word in the sentence: the deals X bids for. Only
    a bidder's giving up is read so: a target that "gives up" may be giving in, and a
    party on both sides of the article's bids leaves unsaid which deal it means."""
    if match.rule.status != "withdrawn":
        return []
    giving_up = {asm.root(asm.key(a)) for a in match.slots.get("actor", [])}
    if not giving_up:
        return []
    as_bidder = [b for b in bids if giving_up & {asm.root(k) for k in b.roles["bidder"]}]
    as_other = [b for b in bids if giving_up & {asm.root(k) for k in (*b.roles["target"], *b.roles["seller"])}]
    return [] if as_other else as_bidder


def _rivals_turned_down(asm: _Assembler, bids: list[Fact], match: Match) -> None:
    """"Y preferred A to its rivals": the bids for Y of everyone but A are turned down by Y."""
    chooser = {asm.root(asm.key(r)) for r in match.slots.get("rejected_by", [])}
    preferred = {asm.key(a) for a in match.slots["preferred"]}
    for bid in bids:
        if asm.root(bid.roles["target"][0]) in chooser and not set(bid.roles["bidder"]) & preferred:
            _move(asm, bid, match)


def _about_a_deal(asm: _Assembler, match: Match) -> bool:
    """A status word moves the article's bid only in a sentence about a deal
    ("the end of its fiscal year" is about something else)."""
    span = match.sentence.span
    lexicons = ("@bid_nouns", "@merger_nouns", "@deal_nouns", "@sale_nouns", "@negotiation_nouns")
    said_of = match.anchors.get("_offer")
    if said_of is not None and _names_another_plan(asm, said_of, match.sentence.para, lexicons):
        return False
    if _names_a_deal(asm, span, lexicons):
        return True
    # "X launched an offer for Y. Y's board rejected it": an object pronoun takes its deal
    # from the sentence before, in the same paragraph
    index = match.sentence.index
    if index == 0 or not _object_pronoun(match.trigger):
        return False
    previous = asm.engine.sentences[index - 1]
    return previous.para == match.sentence.para and _last_argument_is_a_deal(asm, previous.span, lexicons)


def _names_a_deal(asm: _Assembler, span, lexicons: tuple[str, ...]) -> bool:
    return any(asm.engine.in_lexicon(span, k, ref) for k in range(len(span)) for ref in lexicons)


def _last_argument_is_a_deal(asm: _Assembler, span, lexicons: tuple[str, ...]) -> bool:
    """The pronoun's likely antecedent is the last noun the sentence before made an argument
    of its verbs ("workers filed a complaint. The court rejected it": the complaint)."""
    arguments = [k for k, token in enumerate(span)
                 if token.pos_ == "NOUN" and token.dep_ in ("obj", "nsubj", "nsubj:pass")]
    if not arguments or any(not token.pos_ for token in span[arguments[-1]:]):
        # text the parser skipped (it had no deal word) stands between the pronoun and that noun
        return False
    return any(asm.engine.in_lexicon(span, arguments[-1], ref) for ref in lexicons)


def _object_pronoun(verb) -> bool:
    """A third-person clitic object before the verb (not a relative pronoun, whose
    antecedent is in the same sentence)."""
    return any(c.dep_ == "obj" and c.pos_ == "PRON" and c.i < verb.i and "Person=3" in str(c.morph)
               and "PronType=Rel" not in str(c.morph) for c in verb.children)


def _names_another_plan(asm: _Assembler, noun, para: int, lexicons: tuple[str, ...]) -> bool:
    """"reject the spin-off plan": a generic word for a plan whose complement is a
    common noun outside the deal vocabulary is that other plan, not the article's deal."""
    for child in noun.children:
        if child.dep_ != "nmod" or child.pos_ != "NOUN" or child.i < noun.i:
            continue
        if asm.engine.mentions_in(para, [child]):
            continue  # "the plan of <name>": a name, whatever the model tags it
        if not any(asm.engine.in_lexicon([child], 0, ref) for ref in lexicons):
            return True
    return False


def _stated_status(asm: _Assembler, match: Match) -> str:
    """The status a match states; a closing only hoped for, planned or in the future
    ("hopes to close the purchase by June", "will finalise the deal") is pending, not done."""
    status = match.rule.status or "announced"
    verb = match.trigger
    if verb.pos_ != "VERB" and verb.head.pos_ == "VERB":
        verb = verb.head  # "détiendra 53 % à l'issue de son offre": the holding is to come
    future = "Tense=Fut" in str(verb.morph) or (
        verb.pos_ == "VERB" and verb.lower_.endswith(tuple(asm.engine.book.lexicons["future_endings"])))
    if status == "completed" and (future or _only_aimed_at(asm, verb)):
        return "pending"
    if status in ("rejected", "blocked") and _provisional(asm, match):
        return "pending"  # a rejection said to be provisional: who rejected it is kept, the decision is not final
    return status


_PROVISIONAL_REACH = 6  # tokens around a decision word where "for now" qualifies it


def _provisional(asm: _Assembler, match: Match) -> bool:
    span, k = match.sentence.span, match.trigger.i - match.sentence.span.start
    return any(asm.engine.in_lexicon(span, j, "@provisional_words")
               for j in range(max(0, k - 2), min(len(span), k + _PROVISIONAL_REACH)))


def _move(asm: _Assembler, bid: Fact, match: Match) -> None:
    status = _stated_status(asm, match)
    rejected_by = [asm.key(r) for r in match.slots.get("rejected_by", [])]
    giving_up = [asm.key(a) for a in match.slots.get("actor", [])]
    other_side = {*bid.roles["seller"], asm.root(bid.roles["target"][0]), bid.roles["target"][0]}
    # one party giving up (several together, "X et Y ont mis fin à leurs discussions", withdraw)
    if status == "withdrawn" and len(giving_up) == 1 and giving_up[0] in other_side:
        # the seller (or target) giving up the sale turns it down
        status, rejected_by = "rejected", giving_up[:1]
    elif status == "withdrawn" and bid.roles["seller"] and _said_of_a_sale(asm, match):
        # giving up a sale (said of the sale noun) is the seller turning it down
        status, rejected_by = "rejected", bid.roles["seller"][:1]
    if status == "rejected" and not [r for r in rejected_by if r not in bid.roles["bidder"]] \
            and _an_organ_decides(asm, match):
        # "its board rejected the offer": a bidder does not reject its own offer, so the organ
        # whose owner the sentence leaves unsaid (or gives as the bidder) is the target's
        rejected_by = [asm.root(bid.roles["target"][0])]
    if not match.hedged and _STATUS_ORDER.index(status) > _STATUS_ORDER.index(bid.attrs["status"]):
        bid.attrs["status"] = status
    # a deal still under way is news only for a deal not yet decided: "dans l'attente des
    # autorisations" does not revive an offer already withdrawn
    under_way_again = status == "pending" and bid.attrs["status"] != "pending" and \
        _STATUS_ORDER.index(bid.attrs["status"]) > _STATUS_ORDER.index("pending")
    if not match.hedged and not under_way_again:
        bid.history.append(StatusChange(status, asm.evidence(match), anterior=_anterior(match)))
    bid.roles["rejected_by"] += [r for r in rejected_by
                                 if r not in bid.roles["rejected_by"] and r not in bid.roles["bidder"]]
    evidence = asm.evidence(match)
    if evidence not in bid.evidence:
        bid.evidence.append(evidence)


def _an_organ_decides(asm: _Assembler, match: Match) -> bool:
    """The decision's subject (or passive agent) is a company's board or management."""
    deciders = [c for c in match.trigger.children if c.dep_ in ("nsubj", "obl:agent")]
    return any(asm.engine.in_lexicon([d], 0, "@board_nouns") for d in deciders)


def _said_of_a_sale(asm: _Assembler, match: Match) -> bool:
    anchor = match.deal_word()
    if anchor is None:
        return False
    words = [anchor, *(c for c in anchor.children if c.dep_ == "nmod")]
    return any(asm.engine.in_lexicon([w], 0, "@sale_nouns") for w in words)


def _main_bids(asm: _Assembler, bids: list[Fact]) -> list[int]:
    """The bids on the article's most discussed target (a regulator acts on those)."""
    if not bids:
        return []
    roots = Counter(asm.root(b.roles["target"][0]) for b in bids for _ in b.evidence)
    top = roots.most_common(1)[0][0]
    return [i for i, b in enumerate(bids) if asm.root(b.roles["target"][0]) == top]


def _same_sentence(bid: Fact, match: Match) -> bool:
    return any(e.start == match.sentence.start_char for e in bid.evidence)


def _regulation(asm: _Assembler, match: Match, bids: list[Fact], main: list[int]) -> Fact | None:
    regulators = [asm.key(r) for r in match.slots.get("regulator", [])]
    if _a_court_asked_to_act(asm, match):
        regulators = [r for r in regulators if not _is_court(asm, r)]
    if not regulators:
        return None
    action = match.rule.action or "review"
    if action == "approval" and _refused(asm, match.trigger):
        # an approval its author declines to give (would not authorise the deal): a prohibition
        action = "prohibition"
    elif match.negated or (action == "approval" and _awaited(asm, match.trigger)):
        # "n'a pas encore reçu le feu vert de X", "doit obtenir le feu vert de X": X is still deciding
        action = "review"
    # which deal it acts on: the deal word it is said of, else the deals of its sentence, else
    # the article's main deal; it decides (approves, blocks) only a deal it is said of
    linked = [i for i, b in enumerate(bids) if b in _linked(bids, match)]
    here = [i for i, b in enumerate(bids) if _same_sentence(b, match)]
    if match.deal_anchor() is not None:
        decided = linked or _deal_by_parties(asm, bids, match, [i for i in here if not _named_in(bids[i], match)]
                                             if here else main)
    else:
        decided = [] if _acts_on_something_else(asm, match) else here
    if _only_aimed_at(asm, match.trigger):
        decided = []
    concerned = linked or here or main
    # a review makes the deal it is said of wait for a decision; said of no deal by name
    # ("l'opération", or no deal word), it is the article's most discussed bid that waits
    awaiting: list[int] = []
    if action == "review":
        awaiting = decided if match.deal_anchor() is not None else (here or main)
        if not linked:
            awaiting = _most_discussed(bids, awaiting)
    for i in concerned:
        bid = bids[i]
        bid.roles["regulator"] += [r for r in regulators if r not in bid.roles["regulator"]]
        if i in awaiting and not match.hedged and not _only_aimed_at(asm, match.trigger):
            # "la Commission a ouvert une enquête", "doit encore être soumise à l'AMF": the bid
            # awaits a decision
            if bid.attrs["status"] == "announced":
                bid.attrs["status"] = "pending"
                bid.history.append(StatusChange("pending", asm.evidence(match), anterior=_anterior(match)))
        if i in decided and not match.hedged:
            status = {"prohibition": "blocked", "approval": "approved"}.get(action)
            if status == "blocked" and _provisional(asm, match):
                # "blocks the purchase, for now": turned down, but the decision is still to come
                bid.roles["rejected_by"] += [r for r in regulators if r not in bid.roles["rejected_by"]]
                # a step of the deal's history even after a refusal: which came last is for
                # latest_status to say (a refusal told in the pluperfect came before)
                bid.history.append(StatusChange("pending", asm.evidence(match), anterior=_anterior(match)))
                status = None
                if bid.attrs["status"] == "announced":
                    bid.attrs["status"] = "pending"
            if status and _STATUS_ORDER.index(status) > _STATUS_ORDER.index(bid.attrs["status"]):
                bid.attrs["status"] = status
            if status:
                bid.history.append(StatusChange(status, asm.evidence(match), anterior=_anterior(match)))
            if status == "blocked":
                bid.roles["rejected_by"] += [r for r in regulators if r not in bid.roles["rejected_by"]]
    return Fact("regulation", {"regulator": regulators}, {"action": action},
                [asm.evidence(match)], match.hedged,
                asm.key(match.reported_by) if match.reported_by else None,
                links={"concerns": concerned})


def _is_court(asm: _Assembler, key: str) -> bool:
    actor = asm.actors.get(key)
    court_words = set(asm.engine.book.lexicons["court_words"])
    return actor is not None and actor.type == "Government" and fold(actor.name).split()[0] in court_words


def _a_court_asked_to_act(asm: _Assembler, match: Match) -> bool:
    """"a saisi un tribunal pour faire bloquer l'offre", "le tribunal a rejeté sa demande visant
    à obliger X à ...", "examine la plainte de X": the act is what a party asks a court for
    (an aim, the content of a petition) or is done on the petition itself. A court so asked
    hears a case; it regulates no deal (it does when it rules on the deal itself, or reviews
    it). Taking the petition's content as the court's own act would state a decision nobody
    took ("blocked by the court" when the court refused to block)."""
    if _only_aimed_at(asm, match.trigger):
        return True
    if any(c.dep_ == "obj" and asm.engine.in_lexicon([c], 0, "@petition_nouns") for c in match.trigger.children):
        return True  # "examine la plainte", "rejette le recours": the act is on a case
    word, hops = match.trigger, 0
    while hops < 3 and word.head.i != word.i:
        word, hops = word.head, hops + 1
        if word.pos_ == "NOUN" and asm.engine.in_lexicon([word], 0, "@petition_nouns"):
            return True
        if word.pos_ in ("VERB", "AUX") and word.dep_ in ("ROOT", "ccomp", "advcl", "conj"):
            break
    return False


def _most_discussed(bids: list[Fact], indexes: list[int]) -> list[int]:
    most = max((len(bids[i].evidence) for i in indexes), default=0)
    return [i for i in indexes if len(bids[i].evidence) == most]


def _deal_by_parties(asm: _Assembler, bids: list[Fact], match: Match, fallback: list[int]) -> list[int]:
    """The bids a deal word names by its parties ("sa fusion avec X": X's); a bare deal word
    ("l'opération", "le projet") is the fallback deal (the sentence's, else the article's)."""
    anchor = match.deal_word()
    assert anchor is not None
    mentions = asm.engine.mentions_in(match.sentence.para, anchor.subtree)
    parties = {asm.root(asm.key(m.actor)) for m in mentions if m.actor.key in asm.actors}
    if not parties:
        # only a definite deal word refers back ("l'opération", "ce projet", "son offre");
        # "une acquisition", "toute offre" speak of some other or any deal
        if not _definite(asm, anchor):
            return []
        # and it can only refer back to the article's deal when the article discusses one
        return fallback if len({asm.root(bids[i].roles["target"][0]) for i in fallback}) == 1 \
            and len({asm.root(b.roles["target"][0]) for b in bids}) == 1 else []
    # every party it names must be one of the bid's: "le rachat de W par X" is not X's bid for Y
    return [i for i, b in enumerate(bids)
            if parties <= {asm.root(k) for k in (*b.roles["bidder"], *b.roles["target"], *b.roles["seller"])}]


def _definite(asm: _Assembler, noun) -> bool:
    determiners = [c for c in noun.children if c.dep_ == "det"]
    return any("Definite=Def" in str(d.morph) or "PronType=Dem" in str(d.morph)
               or asm.engine.in_lexicon([d], 0, "@possessive_determiners") for d in determiners)


def _phrase_start(word):
    """The first word of a multi-word trigger (the last hangs on it): what a verb governs."""
    while word.dep_ in ("amod", "fixed", "flat") and word.head.i != word.i:
        word = word.head
    return word


def _awaited(asm: _Assembler, word) -> bool:
    """"attend le feu vert de X", "sous réserve de l'approbation de X", "doit obtenir
    l'accord de X", "devra être approuvée par X": an approval still to come."""
    in_lexicon = asm.engine.in_lexicon
    word = _phrase_start(word)
    governor = word.head if word.head.i != word.i else None
    if governor is not None and in_lexicon([governor], 0, "@awaiting_words"):
        return True
    verb = word if word.pos_ == "VERB" else governor
    if verb is None or verb.pos_ != "VERB":
        return False
    if in_lexicon([verb.head], 0, "@obligation_verbs") and verb.dep_ in ("xcomp", "ccomp"):
        return True
    return any(c.dep_.startswith("aux") and in_lexicon([c], 0, "@obligation_verbs") for c in verb.children)


def _refused(asm: _Assembler, word) -> bool:
    """An approval its author refuses to give (refuses to authorise, refuses to give its
    green light): the approval verb, or the verb governing the approval noun, is the
    infinitive of a refusal verb."""
    word = _phrase_start(word)
    verb = word if word.pos_ == "VERB" else (word.head if word.head.i != word.i else None)
    if verb is None or verb.pos_ != "VERB" or "VerbForm=Inf" not in str(verb.morph):
        return False
    governor = verb.head
    return verb.dep_ in ("xcomp", "ccomp", "obl:arg") and governor.i != verb.i \
        and asm.engine.in_lexicon([governor], 0, "@reject_verbs")


def _only_aimed_at(asm: _Assembler, verb) -> bool:
    """"une plainte pour bloquer", "cherche à interdire", "afin d'éviter une interdiction":
    the act is an aim, not a decision."""
    if verb.pos_ == "NOUN" and verb.dep_ == "obj":
        verb = verb.head
    if verb.pos_ != "VERB" or "VerbForm=Inf" not in str(verb.morph):
        return False
    if any(c.dep_ == "mark" and asm.engine.in_lexicon([c], 0, "@purpose_marks") for c in verb.children):
        return True
    if verb.dep_ in ("xcomp", "obl:arg", "ccomp") and asm.engine.in_lexicon([verb.head], 0, "@intent_verbs") > 0:
        return True
    return _intent_verb_before(asm, verb, "@intent_verbs")


def _intent_verb_before(asm: _Assembler, infinitive, lexicon: str) -> bool:
    """"now plans to finalise": the verb written just before the infinitive, past
    adverbs, its preposition and clitics, governs it whatever the parse says (the small model
    hangs such an infinitive on the adverb, or tags the verb a noun)."""
    k = infinitive.i - 1
    doc = infinitive.doc
    while k >= 0 and doc[k].pos_ in ("ADV", "ADP", "PRON", "PART") and infinitive.i - k <= 4:
        k -= 1
    # (by its form, whatever its tag: nothing but a verb stands right before an infinitive,
    # yet the model reads the verb of "intends to finalise" as a noun)
    return k >= 0 and asm.engine.in_lexicon([doc[k]], 0, lexicon) > 0


def _acts_on_something_else(asm: _Assembler, match: Match) -> bool:
    """"un acte interdisant l'application", "repousser l'assemblée", "mettre fin à la
    cotation", "abandonner 3 %", "renoncer à faire de X une condition": what the word acts on
    is a thing or another act, not a deal (nor a stake, a business sold or talks)."""
    trigger = match.trigger
    lexicons = ("@deal_nouns", "@part_nouns", "@stake_nouns", "@negotiation_nouns", "@bid_nouns",
                "@sale_nouns", "@merger_nouns")

    def a_thing(noun) -> bool:
        return noun.pos_ == "NOUN" and not any(asm.engine.in_lexicon([noun], 0, ref) for ref in lexicons) \
            and not any(m.kind != REFERENCE for m in asm.engine.mentions_in(match.sentence.para, [noun]))
        # (a name the tagger calls a noun is no thing; "l'application", standing for a company, is)

    def a_deal_act(verb) -> bool:
        # "racheter", "céder", or a light verb on a deal word ("faire une offre")
        if any(asm.engine.in_lexicon([verb], 0, ref) for ref in ("@bid_verbs", "@sell_verbs")):
            return True
        objects = [c for c in verb.children if c.dep_ == "obj"]
        return asm.engine.in_lexicon([verb], 0, "@offer_verbs") > 0 and not any(a_thing(o) for o in objects)

    def introduced_by_a_preposition(noun) -> bool:
        return any(c.dep_ == "case" for c in noun.children)

    if trigger.pos_ == "VERB":
        complements = [c for c in trigger.children if c.dep_ == "obj"]
        # the indirect complement is what a verb without an object acts on ("renoncer à la
        # cotation"); beside an object it is a manner ("l'a rejetée à l'unanimité")
        complements = complements or [c for c in trigger.children
                                      if c.dep_ == "obl:arg" and introduced_by_a_preposition(c)]
        if any(a_thing(c) for c in complements):
            return True
        # giving up another act ("renonce à faire de X une condition"), not the deal itself
        return match.rule.status == "withdrawn" and any(
            c.pos_ == "VERB" and c.dep_ in ("xcomp", "obl:arg", "ccomp") and not a_deal_act(c)
            for c in trigger.children)
    if trigger.pos_ == "NOUN" and match.rule.relation == "status":
        # "la fin de la cotation", "l'abandon de la procédure", "mettre fin à la cotation"
        complements = [c for c in trigger.children if c.dep_ == "nmod" and c.i > trigger.i]
        if trigger.dep_ == "obj":
            complements += [c for c in trigger.head.children if c.dep_ == "obl:arg"]
        return any(introduced_by_a_preposition(c) and a_thing(c) for c in complements)
    return False


def _a_target_set_for_oneself(asm: _Assembler, date_token) -> bool:
    """A date on a step that is only planned or hoped for ("plans to finalise on 27
    avril") is the party's own target."""
    verb = date_token
    while verb.pos_ != "VERB" and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ != "VERB" or "VerbForm=Inf" not in str(verb.morph):
        return False
    # (a plan, not a purpose or a duty: "gave until 15 March to find", "must come into
    # en vigueur le 20" are imposed)
    return asm.engine.in_lexicon([verb.head], 0, "@plan_verbs") > 0 or _intent_verb_before(asm, verb, "@plan_verbs")


def _deadline(asm: _Assembler, match: Match, main: list[int]) -> Fact | None:
    if match.date is None:
        return None
    imposed = [asm.key(a) for a in match.slots.get("imposed_by", [])]
    if _a_target_set_for_oneself(asm, match.trigger):
        imposed = []  # "intends to finalise it by the end of the year": nobody imposed it
    fact = Fact("deadline", {"imposed_by": imposed[:1]}, {"label": match.label or match.date.text},
                [asm.evidence(match)], match.hedged,
                asm.key(match.reported_by) if match.reported_by else None,
                due=match.date.value.as_term(), links={"concerns": list(main)})
    setters = [a for a in match.slots.get("imposed_by", []) if isinstance(a, ActorRef)]
    named_here = {m.actor.key for m in asm.engine.mentions_in(match.sentence.para, match.sentence.span)}
    if imposed and setters and setters[0].key in named_here:
        asm.set_here.add(id(fact))
    return fact


def _authorities_setting_deadlines(asm: _Assembler, facts: list[Fact], bids: list[Fact],
                                   main: list[int]) -> list[Fact]:
    """"The regulator gave X until 9 November to file a firm offer": an
    authority that sets a deal's deadline acts on the deal, an order, even when no other
    sentence names what it does. Courts are left out: a court's calendar is a lawsuit's."""
    acting = {r for f in facts if f.kind == "regulation" for r in f.roles["regulator"]}
    court_words = set(asm.engine.book.lexicons["court_words"])
    out: list[Fact] = []
    # only an authority its own sentence names: one found in the sentences before is a guess
    for deadline in [f for f in facts if f.kind == "deadline" and f.roles["imposed_by"] and not f.hedged
                     and id(f) in asm.set_here]:
        authority = deadline.roles["imposed_by"][0]
        actor = asm.actors.get(authority)
        if actor is None or actor.type != "Government" or authority in acting or not main:
            continue
        if fold(actor.name).split()[0] in court_words:
            continue
        acting.add(authority)
        for i in main:
            if authority not in bids[i].roles["regulator"]:
                bids[i].roles["regulator"].append(authority)
        out.append(Fact("regulation", {"regulator": [authority]}, {"action": "order"}, list(deadline.evidence),
                        False, None, links={"concerns": list(main)}))
    return out


def _partnership(asm: _Assembler, match: Match) -> list[Fact]:
    """One partnership per pair that the sentence links: "A a signé avec B et avec C" is
    A-B and A-C, not B-C; "un partenariat entre A et B" is A-B."""

    def keep(fillers: list) -> list[str]:
        out: list[str] = []
        for filler in fillers:
            key = asm.root(asm.key(filler))
            # partnerships in deal news are between companies (and people), not with authorities
            official = key in asm.engine.government_people or key in asm.officials
            if key not in out and asm.actors[key].type not in ("Media", "Government") and not official:
                out.append(key)
        return out

    if _agreement_to_buy_or_sell(asm, match):
        return []
    partners, others = keep(match.slots.get("partner", [])), keep(match.slots.get("other", []))
    if others:
        pairs = [(a, b) for a in partners for b in others if a != b]
    else:
        pairs = [(a, b) for i, a in enumerate(partners) for b in partners[i + 1 :]]
    role = _noun_phrase(match)
    return [Fact("partnership", {"partner": [a, b]}, {"role": role} if role else {},
                 [asm.evidence(match)], match.hedged,
                 asm.key(match.reported_by) if match.reported_by else None) for a, b in pairs]


def _agreement_to_buy_or_sell(asm: _Assembler, match: Match) -> bool:
    """"un accord avec X pour lui racheter sa participation": a sale agreed with X, which
    the bid and stake rules read; the two are not partners."""
    noun = match.trigger
    clauses = [*noun.children, *(noun.head.children if noun.dep_ in ("obj", "nsubj:pass") else ())]
    return any(c.pos_ == "VERB" and any(asm.engine.in_lexicon([c], 0, ref) for ref in ("@bid_verbs", "@sell_verbs"))
               and any(m.dep_ == "mark" and asm.engine.in_lexicon([m], 0, "@purpose_marks") for m in c.children)
               for c in clauses)


def _noun_phrase(match: Match) -> str:
    """"partenaire technologique de confiance": the trigger noun with its modifiers."""
    trigger = match.trigger
    if trigger.pos_ != "NOUN":
        return ""
    keep = [trigger]
    for child in trigger.children:
        if child.dep_ == "amod" and child.i > trigger.i:
            keep.append(child)
        if child.dep_ == "nmod" and child.i > trigger.i and child.pos_ == "NOUN" and child.i - trigger.i <= 4:
            keep.extend(t for t in child.subtree if t.i > trigger.i)
    keep.sort(key=lambda t: t.i)
    return " ".join(t.text for t in keep).replace("' ", "'")


_ROLE_NAMES = {
    "stake": ("holder", "in"),
    "ownership": ("owner", "owned"),
    "role": ("person", "org"),
    "lawsuit": ("plaintiff", "defendant"),
}


def _simple(asm: _Assembler, match: Match) -> Fact | None:
    first, second = _ROLE_NAMES[match.rule.relation]
    a = [asm.key(f) for f in match.slots.get(first, [])]
    b = [asm.key(f) for f in match.slots.get(second, [])]
    if match.rule.relation in ("ownership",):
        b = [asm.root(k) if asm.actors[k].part_of and asm.root(k) in a else k for k in b]
    if match.rule.relation == "lawsuit":
        # the court a case is brought before is no party to it ("la cour a rejeté le recours de X")
        a, b = [k for k in a if not _is_court(asm, k)], [k for k in b if not _is_court(asm, k)]
    if not a or (set(a) & set(b)):
        return None
    if match.rule.relation == "role" and asm.actors[a[0]].type != "Person":
        return None
    attrs = {"title": match.trigger_text} if match.rule.relation == "role" else {}
    roles = {first: a, second: b}
    return Fact(match.rule.relation, roles, attrs, [asm.evidence(match)], match.hedged,
                asm.key(match.reported_by) if match.reported_by else None)


def _date_events(facts: list[Fact], dates: list) -> None:
    """An event gets the date its own sentence gives, if any (deadlines have their due date)."""
    for fact in facts:
        if fact.kind == "deadline" or not fact.evidence:
            continue
        for evidence in fact.evidence:
            inside = [d for d in dates if evidence.start <= d.start < evidence.end and d.cue is None]
            if inside:
                fact.event_date = inside[0].value
                break


#: Steps of a deal's life that, stated as facts, have happened by the article's date.
_DONE = ("rejected", "withdrawn", "blocked", "approved", "completed")


def _in_the_past(date, change: StatusChange, published: PartialDate | None) -> PartialDate:
    """A refusal, a withdrawal, a block, an approval or a closing the article reports has
    happened by its date: a month given without its year ("an offer turned down at the end
    of August", in a January article) is the last one before publication."""
    value = date.value
    done = change.status in _DONE or change.launch  # an offer made is a past event too
    if not done or not date.relative or published is None or value.month is None:
        return value
    if _date_sort_key(PartialDate(value.year, value.month)) <= _date_sort_key(PartialDate(
            published.year, published.month or 12)):
        return value
    try:
        return PartialDate(value.year - 1, value.month, value.day, value.part)
    except ValueError:  # a 29 February
        return PartialDate(value.year - 1, value.month, None, value.part)


def _anterior(match: Match) -> bool:
    """Whether the match's verb (or, for a noun, the verb it depends on: had filed an offer)
    is in the pluperfect: its tense auxiliary in the imperfect."""
    verb = match.trigger
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "aux:tense" and "Tense=Imp" in str(c.morph) for c in verb.children)


def _date_status_changes(bids: list[Fact], dates: list, published: PartialDate | None) -> None:
    """Each status change gets the date its sentence gives, and the bid its latest status."""
    for bid in bids:
        dated = []
        for change in bid.history:
            inside = [d for d in dates if change.evidence.start <= d.start < change.evidence.end and d.cue is None]
            dated.append(StatusChange(change.status, change.evidence,
                                      _in_the_past(inside[0], change, published) if inside else None,
                                      change.launch, change.anterior))
        bid.history = dated
        if dated and not bid.hedged:
            bid.attrs["status"] = latest_status(dated, bid.attrs["status"])


def latest_status(history: list[StatusChange], by_order: str) -> str:
    """The latest status of a bid: the later step of a deal's life (``_STATUS_ORDER``), unless
    that step is told only in the pluperfect and another is reported in the present or the
    passé composé (that one), or the text dates another step after every dated change to that
    status ("rejetée en janvier", then "les discussions ont repris en mars": pending)."""
    steps = [c for c in history if c.status != "announced" or c.launch]
    if any(c.status == by_order for c in steps) and all(c.anterior for c in steps if c.status == by_order):
        # "the government blocks it for now ... the board had rejected the offer": what the
        # pluperfect tells came before what the article reports
        reported = [c for c in steps if not c.anterior]
        if reported:
            by_order = max(reported, key=lambda c: _STATUS_ORDER.index(c.status)).status
    at_order = [c.date for c in history if c.status == by_order and c.date is not None]
    if not at_order or len(at_order) != sum(c.status == by_order for c in history):
        return by_order  # the order's status is not (wholly) dated: nothing to compare with
    last = max(at_order, key=_date_sort_key)
    # a bid named again with a date ("l'offre, annoncée en mars") is no new step of its life,
    # but an offer made after the refusal is ("rejected in January, a hostile offer in March")
    later = [c for c in history if c.date is not None and (c.status != "announced" or c.launch)
             and _date_sort_key(c.date) > _date_sort_key(last)]
    return max(later, key=lambda c: _date_sort_key(c.date)).status if later else by_order


def _deadlines_keep_deals_open(article: Article, bids: list[Fact], facts: list[Fact]) -> None:
    """"L'offre court jusqu'au 28 mars", "les actionnaires se prononceront d'ici le 3 mai":
    a deal with a deadline still to come awaits a decision (pending), unless more is said."""
    if article.date is None:
        return
    today = (article.date.year, article.date.month or 1, article.date.day or 1)
    for deadline in facts:
        if deadline.kind != "deadline" or deadline.hedged or deadline.due is None:
            continue
        if _date_sort_key(deadline.due) < today:
            continue
        # the deal the article is about, as for a review: not every bid on the same target
        for i in _most_discussed(bids, deadline.links.get("concerns", [])):
            bid = bids[i]
            if bid.attrs["status"] == "announced":
                bid.attrs["status"] = "pending"
                bid.history.append(StatusChange("pending", deadline.evidence[0]))


def _date_sort_key(date: PartialDate | None) -> tuple[int, int, int]:
    # a month without a day compares as its last day: "en mars" is after "le 3 mars"? unknown,
    # so only whole months apart count as later
    assert date is not None
    return (date.year, date.month or 12, date.day or 31) if date.month else (date.year, 12, 31)


def _pairs(words: tuple[str, ...]) -> dict[str, str]:
    return dict(w.split("=", 1) for w in words)


def _figures(asm: _Assembler, mentions, bids: list[Fact], main: list[int]) -> list[Fact]:
    """"100 millions d'utilisateurs", "44 milliards de dollars": a number, its scale and its unit.

    Money measures the bid its sentence states (or the article's deal when the sentence is about
    a deal); a count measures the company the sentence names before it."""
    lex = asm.engine.book.lexicons
    currencies, scales = _pairs(lex["currency_units"]), _pairs(lex["scale_words"])
    counted = set(lex["count_units"])
    figures: list[Fact] = []
    for sentence in asm.engine.sentences:
        span = sentence.span
        k = 0
        while k < len(span):
            value, end = _number(span, k)
            if value is None:
                k += 1
                continue
            j = end
            if j < len(span) and span[j].lower_ in scales:
                value *= Decimal(scales[span[j].lower_])
                j += 1
            if j < len(span) and span[j].lower_ in ("de", "d'"):
                j += 1
            unit = None
            if j < len(span) and span[j].lower_ in currencies:
                unit = currencies[span[j].lower_].upper()  # lexicons are stored lower-case
            elif j < len(span) and span[j].lemma_.lower() in counted:
                unit = span[j].lemma_.lower()
            if unit is None:
                k = end
                continue
            amount = format(value.normalize(), "f")  # "5,5 milliards" -> "5500000000"
            figure = Fact("figure", {"of": []}, {"amount": amount, "unit": unit},
                          [asm.sentence_evidence(sentence, FIGURE_RULE)])
            if span[j].lower_ in currencies:  # money: the deal's
                here = [i for i, b in enumerate(bids) if any(e.start == sentence.start_char for e in b.evidence)]
                figure.links["bid"] = here or (main if _sentence_about_deal(asm, span) else [])
            if not figure.links.get("bid"):
                before = [m for m in mentions.in_span(sentence.para, span.start, span[k].i)
                          if m.kind != WEAK and m.actor.type == "Organization"]
                if before:
                    figure.roles["of"] = [asm.key(before[-1].actor)]
            if figure.links.get("bid") or figure.roles["of"]:
                figures.append(figure)
            k = j + 1
    return figures


def _number(span, k: int) -> tuple[Decimal | None, int]:
    """The number written from token k ("37,2", "7 000", "1.5"), and where it ends."""
    text = span[k].text
    if not text[:1].isdigit() or not span[k].like_num:
        return None, k
    end = k + 1
    while end < len(span) and span[end].text.isdigit() and len(span[end].text) == 3:
        text += span[end].text  # "7 000": groups of three digits are the same number
        end += 1
    try:
        return Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", ".")), end
    except InvalidOperation:
        return None, k


def _sentence_about_deal(asm: _Assembler, span) -> bool:
    lexicons = ("@bid_nouns", "@merger_nouns", "@deal_nouns", "@sale_nouns", "@bid_verbs", "@offer_verbs")
    return any(asm.engine.in_lexicon(span, k, ref) for k in range(len(span)) for ref in lexicons)


#: The id recorded as the evidence of figures, which the number patterns find, not a rule.
FIGURE_RULE = "figure.number-unit"


def _owners_sell(asm: _Assembler, bids: list[Fact], ownerships: list[Match]) -> None:
    """"le rachat d'Opel, la filiale européenne de General Motors", "SoftBank, propriétaire
    d'Arm": a bid on a company the article calls someone's subsidiary is bought from that
    owner. Only the words for outright ownership count, not a stake."""
    owners: dict[str, set[str]] = {}
    for match in ownerships:
        outright = any(asm.engine.in_lexicon([match.trigger], 0, ref) for ref in ("@owned_nouns", "@owner_nouns"))
        if match.hedged or not outright:
            continue
        for owned in match.slots.get("owned", []):
            owners.setdefault(asm.root(asm.key(owned)), set()).update(asm.key(o) for o in match.slots.get("owner", []))
    for bid in bids:
        target = bid.roles["target"][0]
        sellers = owners.get(asm.root(target), set()) - set(bid.roles["bidder"]) - {target, asm.root(target)}
        if not bid.roles["seller"] and len(sellers) == 1:
            bid.roles["seller"] = sorted(sellers)


def _completed_bids_own(asm: _Assembler, bids: list[Fact]) -> list[Fact]:
    """A completed acquisition states who owns the target now, with the same evidence."""
    owned = []
    for bid in bids:
        if bid.attrs["status"] != "completed" or bid.hedged:
            continue
        target = asm.root(bid.roles["target"][0])
        owned.append(Fact("ownership", {"owner": list(bid.roles["bidder"]), "owned": [target]}, {},
                          list(bid.evidence)))
    return owned


def _partners_join_bids(facts: list[Fact]) -> None:
    """Partners named in the sentence of a bid one of them makes are co-bidders (a joint bid)."""
    bids = [f for f in facts if f.kind == "bid"]
    for partnership in (f for f in facts if f.kind == "partnership"):
        sentences = {e.start for e in partnership.evidence}
        partners = partnership.roles["partner"]
        for bid in bids:
            # only sentences that state the bid itself, not ones that merely move its status
            if not sentences & {e.start for e in bid.evidence if e.rule.startswith("bid.")}:
                continue
            other_side = set(bid.roles["target"]) | set(bid.roles["seller"]) | set(bid.roles["rejected_by"])
            if set(partners) & set(bid.roles["bidder"]):
                bid.roles["bidder"] += [p for p in partners if p not in bid.roles["bidder"] and p not in other_side]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per content in an article; their evidence is pooled."""
    out: list[Fact] = []
    index: dict[tuple, Fact] = {}
    for fact in facts:
        if fact.kind == "bid":
            out.append(fact)
            continue
        if fact.kind == "deadline":
            content: tuple = ("deadline", fact.due.iso() if fact.due else "")
        elif fact.kind == "partnership":
            content = ("partnership", frozenset(fact.roles["partner"]))
        elif fact.kind == "figure":
            content = ("figure", tuple(fact.roles["of"]), tuple(fact.links.get("bid", [])),
                       tuple(sorted(fact.attrs.items())))
        else:
            content = (fact.kind, tuple(sorted((k, tuple(v)) for k, v in fact.roles.items())),
                       tuple(sorted(fact.attrs.items())))
        if content in index:
            kept = index[content]
            kept.evidence += [e for e in fact.evidence if e not in kept.evidence]
            if not kept.hedged or not fact.hedged:
                kept.hedged, kept.reported_by = False, None
            if fact.kind == "deadline" and not kept.roles["imposed_by"]:
                kept.roles["imposed_by"] = fact.roles["imposed_by"]
            continue
        index[content] = fact
        out.append(fact)
    return out
