"""Facts to triples: one named graph per article, shaped as docs/rdf-shape.md says.

Bids and deadlines get IRIs that do not depend on the article (bidder + target,
date + what), so that two articles about the same bid describe the same
resource and ``GRAPH ?g`` tells who says what. Other events are minted per
article. Actor descriptions (type, label, alternative labels) are written into
every graph that mentions the actor, so each article graph stands on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.corpus import Article
from kg.dates import PartialDate
from kg.extract import Actor, ArticleFacts, Evidence, Fact, StatusChange
from kg.namespaces import DKG, ID, SCHEMA, WD, mint, slugify

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_ACTOR_KINDS = {"Organization": "org", "Person": "person", "Government": "gov", "Media": "media"}
_ACTOR_CLASSES = {
    "Organization": DKG.Organization,
    "Person": DKG.Person,
    "Government": DKG.Government,
    "Media": DKG.Media,
}
_STATUS = {
    "announced": DKG.Announced, "pending": DKG.Pending, "rejected": DKG.Rejected,
    "withdrawn": DKG.Withdrawn, "blocked": DKG.Blocked, "approved": DKG.Approved,
    "completed": DKG.Completed,
}
_ACTIONS = {
    "review": DKG.Review, "approval": DKG.Approval, "prohibition": DKG.Prohibition,
    "order": DKG.Order, "conditions": DKG.Conditions,
}
# (event class, role -> property, shortcut property between the first two roles)
_SIMPLE = {
    "stake": (DKG.Stake, {"holder": DKG.stakeholder, "in": DKG.stakeIn}, DKG.holdsStakeIn),
    "ownership": (DKG.Ownership, {"owner": DKG.owner, "owned": DKG.owned}, DKG.owns),
    "role": (DKG.RoleAssignment, {"person": DKG.holder, "org": DKG.roleIn}, DKG.holdsRoleIn),
    "lawsuit": (DKG.Lawsuit, {"plaintiff": DKG.plaintiff, "defendant": DKG.defendant}, None),
}


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{article_id}"]


def actor_iri(actor: Actor) -> URIRef:
    return ID[f"{_ACTOR_KINDS[actor.type]}/{actor.key}"]


def date_literal(value: PartialDate) -> Literal:
    return Literal(value.iso(), datatype=XSD[value.xsd()])


def article_triples(facts: ArticleFacts) -> Iterator[Triple]:
    """Every triple of one article's named graph."""
    article = facts.article
    yield from _article(article)
    iris = {key: actor_iri(actor) for key, actor in facts.actors.items()}
    used = _used_actor_keys(facts)
    for key, actor in sorted(facts.actors.items()):
        if key in used or actor.type != "Organization" or not actor.part_of:
            yield from _actor(actor, iris)
    bids = facts.of_kind("bid")
    bid_iris = [_bid_iri(b, facts) for b in bids]
    for bid, iri in zip(bids, bid_iris, strict=True):
        yield from _bid(bid, iri, iris, article)
    counter = 0
    for fact in facts.facts:
        if fact.kind == "bid":
            continue
        counter += 1
        event = ID[f"{fact.kind}/{article.id}-{counter}"]
        if fact.kind == "deadline":
            event = _deadline_iri(fact)
            yield from _deadline(fact, event, iris, bid_iris, article)
        elif fact.kind == "regulation":
            yield from _regulation(fact, event, iris, bid_iris, article)
        elif fact.kind == "figure":
            yield from _figure(fact, event, iris, bid_iris, article)
        elif fact.kind == "partnership":
            yield from _partnership(fact, event, iris, article)
        else:
            yield from _simple(fact, event, iris, article)


def _used_actor_keys(facts: ArticleFacts) -> set[str]:
    used = set()
    for fact in facts.facts:
        for keys in fact.roles.values():
            used.update(keys)
        if fact.reported_by:
            used.add(fact.reported_by)
    for key in list(used):
        while facts.actors[key].part_of:
            key = facts.actors[key].part_of
            used.add(key)
    return used


def _article(article: Article) -> Iterator[Triple]:
    a = article_iri(article.id)
    yield a, RDF.type, DKG.Article
    yield a, RDF.type, SCHEMA.NewsArticle
    yield a, SCHEMA.headline, Literal(article.title or article.id)
    yield a, DKG.sourceFile, Literal(article.source)
    if article.content_hash:
        yield a, DKG.contentHash, Literal(article.content_hash)
    if article.url:
        yield a, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)
    if article.date is not None:
        yield a, SCHEMA.datePublished, date_literal(article.date)
    else:
        yield a, DKG.undated, Literal(True)


def _actor(actor: Actor, iris: dict[str, URIRef]) -> Iterator[Triple]:
    iri = iris[actor.key]
    yield iri, RDF.type, _ACTOR_CLASSES[actor.type]
    yield iri, RDFS.label, Literal(actor.name)
    for alt in sorted(actor.alt_labels):
        yield iri, SKOS.altLabel, Literal(alt)
    if actor.wikidata:
        yield iri, OWL.sameAs, WD[actor.wikidata]
    if actor.nationality:
        yield iri, DKG.nationality, Literal(actor.nationality)
    if actor.part_of:
        yield iri, DKG.partOf, iris[actor.part_of]
    for institution in sorted(actor.acts_for):
        yield iri, DKG.actsFor, iris[institution]
    if actor.region:
        yield iri, DKG.region, Literal(actor.region)


def _evidence(fact: Fact, event: URIRef, article: Article) -> Iterator[Triple]:
    for ev in fact.evidence:
        yield from _evidence_of(event, ev, article)
    if fact.hedged:
        yield event, DKG.hedged, Literal(True)
    if fact.event_date is not None:
        yield event, DKG.eventDate, date_literal(fact.event_date)


def _evidence_of(event: URIRef, ev: Evidence, article: Article) -> Iterator[Triple]:
    iri = _evidence_iri(ev)
    yield event, DKG.evidence, iri
    yield iri, RDF.type, DKG.Evidence
    yield iri, DKG.sentence, Literal(ev.sentence)
    yield iri, DKG.startOffset, Literal(ev.start)
    yield iri, DKG.endOffset, Literal(ev.end)
    yield iri, DKG.rule, Literal(ev.rule)
    yield iri, DKG.article, article_iri(article.id)


def _evidence_iri(ev: Evidence) -> URIRef:
    # the rule is part of the name: two rules firing on one sentence are two pieces of evidence
    return ID[f"evidence/{ev.article_id}-{ev.start}-{ev.end}-{slugify(ev.rule)}"]


def _hedge(fact: Fact, event: URIRef, iris: dict[str, URIRef]) -> Iterator[Triple]:
    if fact.hedged and fact.reported_by:
        yield event, DKG.reportedBy, iris[fact.reported_by]


def _bid_iri(bid: Fact, facts: ArticleFacts) -> URIRef:
    bidder = bid.roles["bidder"][0]
    target = bid.roles["target"][0]
    return mint("bid", f"{bidder}--{target}")


def _bid(bid: Fact, iri: URIRef, iris: dict[str, URIRef], article: Article) -> Iterator[Triple]:
    yield iri, RDF.type, DKG.Bid
    prop = {"bidder": DKG.bidder, "target": DKG.target, "seller": DKG.seller,
            "rejected_by": DKG.rejectedBy, "regulator": DKG.regulator}
    for role, p in prop.items():
        for key in bid.roles.get(role, []):
            yield iri, p, iris[key]
    yield iri, DKG.status, _STATUS[bid.attrs.get("status", "announced")]
    yield from _evidence(bid, iri, article)
    yield from _hedge(bid, iri, iris)
    for change in bid.history:
        yield from _status_change(change, iri, article)


def _status_change(change: StatusChange, bid: URIRef, article: Article) -> Iterator[Triple]:
    """One step of a bid's history: the status the sentence gives it, when, and the sentence."""
    ev = change.evidence
    iri = mint("statuschange", f"{ev.article_id}-{ev.start}-{ev.end}-{change.status}-{bid.rsplit('/', 1)[-1]}")
    yield bid, DKG.statusChange, iri
    yield iri, RDF.type, DKG.StatusChange
    yield iri, DKG.toStatus, _STATUS[change.status]
    if change.date is not None:
        yield iri, DKG.eventDate, date_literal(change.date)
    yield from _evidence_of(iri, ev, article)


def _deadline_iri(fact: Fact) -> URIRef:
    assert fact.due is not None
    who = fact.roles.get("imposed_by") or ["unknown"]
    return mint("deadline", f"{fact.due.iso()}-{who[0]}")


def _deadline(fact: Fact, iri: URIRef, iris: dict[str, URIRef], bid_iris: list[URIRef],
              article: Article) -> Iterator[Triple]:
    assert fact.due is not None
    yield iri, RDF.type, DKG.Deadline
    yield iri, DKG.dueDate, date_literal(fact.due)
    yield iri, RDFS.label, Literal(fact.attrs.get("label", ""))
    for key in fact.roles.get("imposed_by", []):
        yield iri, DKG.imposedBy, iris[key]
    for index in fact.links.get("concerns", []):
        yield iri, DKG.concerns, bid_iris[index]
        yield bid_iris[index], DKG.deadline, iri
    yield from _evidence(fact, iri, article)
    yield from _hedge(fact, iri, iris)


def _regulation(fact: Fact, iri: URIRef, iris: dict[str, URIRef], bid_iris: list[URIRef],
                article: Article) -> Iterator[Triple]:
    yield iri, RDF.type, DKG.RegulatoryAction
    for key in fact.roles["regulator"]:
        yield iri, DKG.regulator, iris[key]
    yield iri, DKG.action, _ACTIONS[fact.attrs["action"]]
    for index in fact.links.get("concerns", []):
        yield iri, DKG.concerns, bid_iris[index]
    yield from _evidence(fact, iri, article)
    yield from _hedge(fact, iri, iris)


def _figure(fact: Fact, iri: URIRef, iris: dict[str, URIRef], bid_iris: list[URIRef],
            article: Article) -> Iterator[Triple]:
    yield iri, RDF.type, DKG.Figure
    yield iri, DKG.amount, Literal(fact.attrs["amount"], datatype=XSD.decimal)
    yield iri, DKG.unit, Literal(fact.attrs["unit"])
    for index in fact.links.get("bid", []):
        yield iri, DKG.figureOf, bid_iris[index]
    for key in fact.roles.get("of", []):
        yield iri, DKG.figureOf, iris[key]
    yield from _evidence(fact, iri, article)


def _partnership(fact: Fact, iri: URIRef, iris: dict[str, URIRef], article: Article) -> Iterator[Triple]:
    yield iri, RDF.type, DKG.Partnership
    partners = fact.roles["partner"]
    for key in partners:
        yield iri, DKG.partner, iris[key]
    if fact.attrs.get("role"):
        yield iri, DKG.partnershipRole, Literal(fact.attrs["role"])
    if not fact.hedged:  # a shortcut states the relation as fact: only for unhedged claims
        for a in partners:
            for b in partners:
                if a != b:
                    yield iris[a], DKG.partnerOf, iris[b]
    yield from _evidence(fact, iri, article)
    yield from _hedge(fact, iri, iris)


def _simple(fact: Fact, iri: URIRef, iris: dict[str, URIRef], article: Article) -> Iterator[Triple]:
    cls, props, shortcut = _SIMPLE[fact.kind]
    yield iri, RDF.type, cls
    for role, p in props.items():
        for key in fact.roles.get(role, []):
            yield iri, p, iris[key]
    if fact.kind == "role" and fact.attrs.get("title"):
        yield iri, DKG.roleTitle, Literal(fact.attrs["title"])
    first, second = list(props)
    if shortcut is not None and not fact.hedged:
        for a in fact.roles.get(first, []):
            for b in fact.roles.get(second, []):
                yield iris[a], shortcut, iris[b]
    yield from _evidence(fact, iri, article)
    yield from _hedge(fact, iri, iris)
