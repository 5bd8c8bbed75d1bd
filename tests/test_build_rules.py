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


def _build_with_a_mistake(tmp_path, file_name: str, mistake: str) -> str:
    """What ``kg build --rules`` says when one file of the folder is broken (exit code 1)."""
    corpus, rules = _corpus(tmp_path), _edited_rules(tmp_path)
    with (rules / file_name).open("a", encoding="utf-8") as handle:
        handle.write(mistake)
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", str(tmp_path / "kg"), "--rules", str(rules)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.output


def test_a_mistake_in_the_rules_stops_the_build_naming_the_file(tmp_path):
    output = _build_with_a_mistake(tmp_path, "rules.toml", '\n[[rule]]\nid = "broken"\nrelation = "partnership"\n')
    assert "rules.toml" in output and "broken" in output
    corpus = tmp_path / "articles"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", "memory", "--rules", str(empty)])
    assert result.exit_code == 1 and "not a rules folder" in result.output


WIRE = """Norvia relève son offre sur Tarvex

PARIS, 4 marz 2024 (AFP) – Le groupe Norvia a relevé son offre sur le fabricant de vélos Tarvex,
a annoncé lundi la direction du groupe, qui espère convaincre les actionnaires de Tarvex. Le conseil
de Tarvex doit se réunir dans les prochains jours pour examiner la nouvelle proposition de Norvia,
selon un communiqué publié par la société.

Nos analyses boursières chaque matin à 7 heures
"""


def _language_folder(tmp_path):
    """A copy of the French folder whose dates know a misspelt month and whose furniture
    drops a promotional line."""
    rules = tmp_path / "fr"
    shutil.copytree(FRENCH, rules)
    dates = (rules / "dates.toml").read_text(encoding="utf-8")
    (rules / "dates.toml").write_text(dates.replace("mars = 3\n", "mars = 3\nmarz = 3\n", 1), encoding="utf-8")
    with (rules / "furniture.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[[line]]\nid = \"promotion_test\"\naction = \"drop\"\n"
                     "pattern = '''nos analyses boursières .{0,80}'''\n"
                     "example = \"Nos analyses boursières chaque matin\"\n")
    return rules


def test_a_language_folder_is_read_as_one_unit_dates_and_furniture_included(tmp_path):
    from kg.corpus import read_corpus, reading_rules

    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "wire.txt").write_text(WIRE, encoding="utf-8")
    (packaged,), _ = read_corpus([corpus])
    assert packaged.date is None and "Nos analyses" in packaged.body
    (edited,), _ = read_corpus([corpus], **reading_rules(_language_folder(tmp_path)))
    assert edited.date is not None and edited.date.iso() == "2024-03-04"
    assert "Nos analyses" not in edited.body


def test_kg_build_with_a_language_folder_dates_what_its_dates_file_reads(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "wire.txt").write_text(WIRE, encoding="utf-8")
    with open_store(str(tmp_path / "kg")) as store:
        assert build([corpus], store).undated
        report = build([corpus], store, rules=_language_folder(tmp_path))
        assert report.built and not report.undated


def test_a_mistake_in_the_folder_dates_file_stops_the_build_naming_it(tmp_path):
    output = _build_with_a_mistake(tmp_path, "dates.toml", '\n[[rule]]\nid = "broken_date"\ntype = "date"\n')
    assert "dates.toml" in output and "broken_date" in output
