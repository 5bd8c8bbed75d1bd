"""``kg build --rules DIR``: building with an edited copy of the rules."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.rules import FRENCH
from kg.store import open_store

ARTICLE = """Acme et Globex annoncent un jumelage

date: 2024-05-02

Le fabricant Acme a annoncé un jumelage avec Globex, selon un communiqué publié jeudi.
"""

# a trigger the packaged rules do not have: "jumelage" as a partnership noun
NEW_RULE = '''
[[rule]]
id = "partnership.twinning-test"
relation = "partnership"
trigger = "jumelage"
pos = ["NOUN"]
[rule.slots]
partner = "left"
other = "prep:avec | right:avec"
[[rule.examples]]
text = "Le groupe Acme a annoncé un jumelage avec Globex."
expect = { partner = "Acme", other = "Globex" }
'''

PARTNERS = """PREFIX dkg: <https://w3id.org/dealkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a ?b WHERE { GRAPH ?g { ?p a dkg:Partnership ; dkg:partner ?x, ?y .
  ?x rdfs:label ?a . ?y rdfs:label ?b . FILTER(STR(?a) < STR(?b)) } }"""


def _corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "acme.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def _edited_rules(tmp_path):
    rules = tmp_path / "fr"
    shutil.copytree(FRENCH, rules)
    with (rules / "rules.toml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_RULE)
    return rules


def test_a_build_with_edited_rules_uses_them_and_rebuilds_what_they_change(tmp_path):
    corpus, rules = _corpus(tmp_path), _edited_rules(tmp_path)
    with open_store(str(tmp_path / "kg")) as store:
        assert build([corpus], store).built
        assert [tuple(map(str, row)) for row in store.select(PARTNERS)] == []
        report = build([corpus], store, rules=rules)
        assert report.built, "other rules must rebuild the article"
        assert [tuple(map(str, row)) for row in store.select(PARTNERS)] == [("Acme", "Globex")]
        assert build([corpus], store, rules=rules).unchanged  # same rules again: nothing to do


def test_edited_rules_reach_the_worker_processes(tmp_path):
    corpus, rules = _corpus(tmp_path), _edited_rules(tmp_path)
    (corpus / "acme2.txt").write_text(ARTICLE.replace("Acme", "Initech"), encoding="utf-8")
    with open_store(str(tmp_path / "kg")) as store:
        assert len(build([corpus], store, rules=rules, jobs=2).built) == 2
        rows = sorted(tuple(map(str, row)) for row in store.select(PARTNERS))
    assert rows == [("Acme", "Globex"), ("Globex", "Initech")]


def test_a_mistake_in_the_rules_stops_the_build_naming_the_file(tmp_path):
    corpus, rules = _corpus(tmp_path), _edited_rules(tmp_path)
    with (rules / "rules.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[rule]]\nid = "broken"\nrelation = "partnership"\n')
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", str(tmp_path / "kg"), "--rules", str(rules)])
    assert result.exit_code == 1
    assert "rules.toml" in result.output and "broken" in result.output
    assert "Traceback" not in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", "memory", "--rules", str(empty)])
    assert result.exit_code == 1 and "not a rules folder" in result.output
