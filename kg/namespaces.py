"""The dealkg vocabulary, mirrored from ``ontology/dealkg.ttl``.

``DKG`` is a closed namespace: a misspelt term raises ``AttributeError`` instead
of silently minting a new IRI. ``tests/test_ontology.py`` checks that every term
here is declared in the ontology file and the other way round.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/dealkg/ontology"
ID_BASE = "https://w3id.org/dealkg/id/"

SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
ID = Namespace(ID_BASE)


class DKG(DefinedNamespace):
    """dealkg ontology terms (https://w3id.org/dealkg/ontology#)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # Actors
    Actor: URIRef
    Organization: URIRef
    Person: URIRef
    Government: URIRef
    Media: URIRef

    # Events: everything an article states is an event that carries evidence
    Event: URIRef
    Bid: URIRef
    Deadline: URIRef
    Partnership: URIRef
    Stake: URIRef
    Ownership: URIRef
    RoleAssignment: URIRef
    Lawsuit: URIRef
    RegulatoryAction: URIRef
    Figure: URIRef
    StatusChange: URIRef

    # Provenance
    Article: URIRef
    Evidence: URIRef

    # Bid statuses (individuals of BidStatus)
    BidStatus: URIRef
    Announced: URIRef
    Pending: URIRef
    Rejected: URIRef
    Withdrawn: URIRef
    Blocked: URIRef
    Approved: URIRef
    Completed: URIRef

    # Kinds of regulatory action (individuals of RegulatoryActionKind)
    RegulatoryActionKind: URIRef
    Review: URIRef
    Approval: URIRef
    Prohibition: URIRef
    Order: URIRef
    Conditions: URIRef

    # Bid
    bidder: URIRef
    target: URIRef
    seller: URIRef
    status: URIRef
    rejectedBy: URIRef
    regulator: URIRef
    deadline: URIRef
    statusChange: URIRef
    toStatus: URIRef

    # Parts of organisations (a company's operations in one country)
    partOf: URIRef
    actsFor: URIRef
    region: URIRef

    # Deadline
    dueDate: URIRef
    imposedBy: URIRef
    concerns: URIRef

    # Partnership
    partner: URIRef
    partnerOf: URIRef
    partnershipRole: URIRef

    # Stake
    stakeholder: URIRef
    stakeIn: URIRef
    stakeSize: URIRef
    holdsStakeIn: URIRef

    # Ownership
    owner: URIRef
    owned: URIRef
    owns: URIRef

    # Roles
    holder: URIRef
    roleTitle: URIRef
    roleIn: URIRef
    holdsRoleIn: URIRef

    # Lawsuit
    plaintiff: URIRef
    defendant: URIRef
    about: URIRef

    # Regulatory action
    action: URIRef

    # Figure ("100 millions d'utilisateurs", "44 milliards de dollars")
    amount: URIRef
    unit: URIRef
    figureOf: URIRef

    # Any event
    evidence: URIRef
    hedged: URIRef
    reportedBy: URIRef
    eventDate: URIRef

    # Evidence
    sentence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    rule: URIRef
    article: URIRef

    # Article
    sourceFile: URIRef
    contentHash: URIRef
    undated: URIRef

    # Actor
    nationality: URIRef


#: Kinds of resources; each has its own prefix (``org:valmont``) because a slash
#: cannot appear unescaped in a SPARQL or Turtle prefixed name.
KINDS = ("org", "person", "gov", "media", "article", "bid", "deadline", "evidence", "partnership",
         "stake", "ownership", "role", "lawsuit", "regulation", "figure", "statuschange")

#: Prefixes bound on every graph we write, in this order (one table, used everywhere).
PREFIXES: dict[str, Namespace | str] = {
    "dkg": DKG._NS,
    **{kind: Namespace(f"{ID_BASE}{kind}/") for kind in KINDS},
    "id": ID,
    "schema": SCHEMA,
    "wd": WD,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "xsd": XSD,
    "prov": PROV,
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@functools.lru_cache(maxsize=65536)
def shorten_iri(text: str) -> str:
    """``org:valmont`` for the IRI of Valmont: the first prefix of :data:`PREFIXES` that fits, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return text

_MAX_SLUG = 80


def slugify(name: str) -> str:
    """A stable, ASCII, IRI-safe slug: same for "Kesterel" and "KesteRel".

    Accents and case are folded so that spelling variants of one name meet; a
    long name is cut and suffixed with a hash of the whole so two long names
    never collide. Invisible format characters (zero-width spaces, soft hyphens,
    RTL/LTR marks and overrides) are dropped first, so "Kest\u200berel" is
    Kesterel; look-alike letters from other scripts (a Cyrillic "о") are not
    folded into Latin ones, so a spoofed name never takes a real actor's IRI.
    """
    visible = "".join(c for c in name if unicodedata.category(c) != "Cf")
    folded = unicodedata.normalize("NFKD", visible)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    # surrogatepass: a lone surrogate (from a JSON escape) must still get a stable hash
    digest = hashlib.sha1(visible.encode("utf-8", "surrogatepass")).hexdigest()
    if not slug:
        slug = "x" + digest[:12]
    if len(slug) > _MAX_SLUG:
        slug = slug[: _MAX_SLUG - 11].rstrip("-") + "-" + digest[:10]
    return slug


def mint(kind: str, name: str) -> URIRef:
    """The IRI of a resource: ``https://w3id.org/dealkg/id/<kind>/<slug>``."""
    return ID[f"{kind}/{slugify(name)}"]
