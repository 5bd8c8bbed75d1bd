"""The facts issue 2 asks for, read back from the built seed graph with SPARQL."""

from __future__ import annotations


def test_microsoft_bid_for_tiktok_us_rejected_by_bytedance(ask):
    # Oxigraph 0.5's union default graph gives a triple once per article graph holding it, so
    # a flat pattern of ten triples over the five seed articles joined ~5^10 rows before its
    # DISTINCT (75 s); each part made DISTINCT first gives the same rows at once
    rows = ask("""
        SELECT DISTINCT ?target ?whole ?seller ?rejecter WHERE {
          { SELECT DISTINCT ?bid ?t WHERE {
              ?bid a dkg:Bid ; dkg:bidder org:microsoft ; dkg:target ?t ; dkg:status dkg:Rejected } }
          { SELECT DISTINCT ?bid ?rejecter WHERE { ?bid dkg:rejectedBy/rdfs:label ?rejecter } }
          { SELECT DISTINCT ?t ?target ?whole WHERE {
              ?t rdfs:label ?target ; dkg:partOf/rdfs:label ?whole ; dkg:region "États-Unis" } }
          OPTIONAL { ?bid dkg:seller/rdfs:label ?seller }
        }""")
    assert ("TikTok (États-Unis)", "TikTok", "ByteDance", "ByteDance") in rows


def test_walmart_bids_with_microsoft(ask):
    rows = ask("""
        SELECT ?bid WHERE { ?bid a dkg:Bid ; dkg:bidder org:microsoft, org:walmart . }""")
    assert rows
    partners = ask("SELECT ?x WHERE { org:microsoft dkg:partnerOf ?x }")
    assert ("org:walmart",) in partners


def test_oracle_trusted_technology_partner_and_stake(ask):
    partnership = ask("""
        SELECT ?role WHERE { ?p a dkg:Partnership ; dkg:partner org:oracle, org:bytedance ;
                                dkg:partnershipRole ?role }""")
    assert any("partenaire technologique" in role for (role,) in partnership)
    stakes = ask("""
        SELECT ?hedged WHERE { ?s a dkg:Stake ; dkg:stakeholder org:oracle ; dkg:stakeIn ?t .
                               ?t dkg:partOf org:tiktok . OPTIONAL { ?s dkg:hedged ?hedged } }""")
    assert stakes  # "Oracle mènerait des négociations ...": reported, so hedged
    assert all(h == "true" for (h,) in stakes)


def test_deadlines_have_real_dates_and_who_imposed_them(ask):
    rows = ask("""
        SELECT DISTINCT ?due ?who ?what WHERE {
          ?d a dkg:Deadline ; dkg:dueDate ?due ; rdfs:label ?what ; dkg:imposedBy/rdfs:label ?who }""")
    dates = {due for due, _, _ in rows}
    assert {"2020-09-15", "2020-09-20", "2020-11-12"} <= dates
    assert ("2020-11-12", "Donald Trump") in {(d, w) for d, w, _ in rows}
    assert ("2020-09-20", "Donald Trump") in {(d, w) for d, w, _ in rows}
    assert all(what for _, _, what in rows)


def test_due_dates_are_typed_xsd_dates(ask):
    rows = ask("SELECT DISTINCT (DATATYPE(?due) AS ?t) WHERE { ?d dkg:dueDate ?due }")
    assert rows == {("xsd:date",)}


def test_regulators(ask):
    rows = ask("SELECT DISTINCT ?r WHERE { ?a a dkg:RegulatoryAction ; dkg:regulator ?r }")
    regulators = {r for (r,) in rows}
    assert "gov:departement-du-tresor-des-etats-unis" in regulators or \
        "person:steven-mnuchin" in regulators
    assert "person:donald-trump" in regulators
    assert "gov:ministere-du-commerce-de-la-republique-populaire-de-chine" in regulators


def test_bytedance_is_tiktok_parent(ask):
    assert ask("SELECT ?o WHERE { org:bytedance dkg:owns org:tiktok BIND(1 AS ?o) }")


def test_every_actor_once_whatever_the_article_calls_it(ask):
    labels = ask("SELECT ?a ?l WHERE { ?a rdfs:label ?l ; a ?t . "
                 "FILTER(?t IN (dkg:Person, dkg:Organization, dkg:Government, dkg:Media)) }")
    names = [label for _, label in labels]
    assert len(names) == len(set(names)), "an actor appears under two IRIs"
    trump_forms = ask("SELECT ?alt WHERE { person:donald-trump skos:altLabel ?alt }")
    assert ("Donald Tump",) in trump_forms
    assert not ask("SELECT ?a WHERE { ?a rdfs:label ?l FILTER(CONTAINS(?l, 'Tump')) }")
    assert ask("SELECT ?a WHERE { org:bytedance skos:altLabel 'Bytedance' BIND(1 AS ?a) }")


def test_every_event_carries_evidence(ask):
    missing = ask("""
        SELECT ?e WHERE { ?e a ?c . FILTER(?c IN (dkg:Bid, dkg:Deadline, dkg:Partnership, dkg:Stake,
            dkg:Ownership, dkg:RoleAssignment, dkg:Lawsuit, dkg:RegulatoryAction))
          FILTER NOT EXISTS { ?e dkg:evidence/dkg:sentence ?s } }""")
    assert not missing
    rows = ask("""
        SELECT ?s ?start ?end ?rule ?file WHERE {
          ?ev a dkg:Evidence ; dkg:sentence ?s ; dkg:startOffset ?start ; dkg:endOffset ?end ;
              dkg:rule ?rule ; dkg:article/dkg:sourceFile ?file }""")
    assert rows


def test_evidence_offsets_point_at_the_sentence_in_the_article():
    from kg.corpus import read_article
    from kg.extract import extract

    from .conftest import SEEDS

    article = read_article(SEEDS / "000_042e905e502cadab.txt")
    facts = extract(article)
    for fact in facts.facts:
        for ev in fact.evidence:
            assert article.body[ev.start : ev.end] == ev.sentence


def test_each_article_has_its_named_graph(ask):
    rows = ask("SELECT ?g ?date WHERE { GRAPH ?g { ?g a dkg:Article ; schema:datePublished ?date } }")
    assert len(rows) == 5
    assert ("article:004_342520450e8a2832", "2020-08-03") in rows
