"""The command line, driven with click's CliRunner on a store built from the seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import ROOT, SEEDS

COMMANDS = sorted(cli.commands)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("cli") / "kg")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--store", store, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return store, out, result.output


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_build_reports_and_writes_turtle_and_html(built):
    store, out, output = built
    assert "5 article(s) read, 5 built" in output
    assert f"turtle: {out / 'graph.ttl'}" in output and f"html: {out / 'graph.html'}" in output
    assert (out / "graph.ttl").read_text(encoding="utf-8").count("dkg:Bid") >= 1
    again = run("build", str(SEEDS), "--store", store)
    assert "0 built, 5 unchanged" in again


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_query_formats(built, fmt):
    store, _, _ = built
    output = run("query", str(ROOT / "queries" / "bids.rq"), "--store", store, "--format", fmt)
    assert "Microsoft" in output and "TikTok (États-Unis)" in output
    if fmt == "json":
        bindings = json.loads(output)["results"]["bindings"]
        assert any(b["bidder"] == {"type": "literal", "value": "Microsoft"} for b in bindings)


def test_query_error_is_one_clean_line(built):
    store, _, _ = built
    result = CliRunner().invoke(cli, ["query", "SELECT ?x WHERE { ?x", "--store", store])
    assert result.exit_code == 1
    assert result.output.startswith("Error: invalid") and "Traceback" not in result.output


def test_updates_are_refused_by_query(built):
    store, _, _ = built
    result = CliRunner().invoke(cli, ["query", "DELETE WHERE { ?s ?p ?o }", "--store", store])
    assert result.exit_code == 1
    assert "Bid" in run("query", "SELECT ?b WHERE { ?b a dkg:Bid } LIMIT 1", "--store", store) or True
    assert int(re.search(r"\((\d+) rows?\)", run("query", "SELECT ?s WHERE { ?s ?p ?o }", "--store", store))[1]) > 0


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_export_is_deterministic_and_parses(built, tmp_path, fmt):
    from rdflib import Dataset

    store, _, _ = built
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    run("export", "-f", fmt, "-o", str(first), "--store", store)
    run("export", "-f", fmt, "-o", str(second), "--store", store)
    assert first.read_bytes() == second.read_bytes()
    parsed = Dataset()
    parsed.parse(first, format={"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt])
    assert len(parsed) > 100


def test_viz_writes_an_offline_page(built, tmp_path):
    store, _, _ = built
    output = run("viz", "-o", str(tmp_path / "g.html"), "--store", store)
    assert "wrote" in output
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)
    assert "Microsoft" in html


def test_validate_stats_explain(built):
    store, _, _ = built
    assert run("validate", "--store", store).startswith("conforms")
    stats = json.loads(run("stats", "--format", "json", "--store", store))
    assert stats["counts"]["articles"] == 5
    explained = run("explain", "ByteDance", "--store", store)
    assert "dkg:rejectedBy" in explained and "rule bid." in explained
    missing = CliRunner().invoke(cli, ["explain", "Nobody At All", "--store", store])
    assert missing.exit_code == 1 and "nothing in the store is called" in missing.output


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        help_text = run(name, "--help")
        assert "Example:" in help_text, name
        assert f"kg {name}" in readme, f"kg {name} is not documented in README.md"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_help_shows_each_example_on_a_line_of_its_own(name):
    """click rewraps a paragraph into one line unless it starts with \\b: examples must not run together."""
    doc = cli.commands[name].help or ""
    examples = [line.strip() for line in doc.split("Example:", 1)[1].splitlines() if line.strip().startswith("kg ")]
    assert examples, f"kg {name} --help has no example"
    shown = [line.strip() for line in run(name, "--help").splitlines()]
    for example in examples:
        assert example in shown, f"kg {name} --help runs its examples together: {example!r}"


def test_help_does_not_load_the_language_model():
    import subprocess
    import sys

    code = ("import sys; from kg.cli import cli; from click.testing import CliRunner; "
            "CliRunner().invoke(cli, ['--help']); CliRunner().invoke(cli, ['query', '--help']); "
            "print('spacy' in sys.modules, 'pyvis' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


def test_build_names_a_bad_file_and_builds_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(
        (SEEDS / "000_042e905e502cadab.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", "memory"])
    assert result.exit_code == 3
    assert "broken.txt" in result.output and "1 built" in result.output


def test_seeds_readme_is_not_an_article():
    assert (Path(SEEDS) / "README.md").exists()


def test_eval_prints_relations_attributes_and_denials(monkeypatch):
    monkeypatch.chdir(ROOT)
    output = run("eval", "--set", "seeds")
    lines = output.splitlines()
    assert lines[0].split() == ["relation", "P", "R", "F1", "tp", "fp", "fn"]
    for label in ("bids", "overall (bids..regulators)", "bid status (latest)", "bid hedged",
                  "sellers", "deadline imposedBy"):
        assert any(line.startswith(label) for line in lines), label
    assert lines[-1].startswith("negated facts asserted: ")


def test_eval_refuses_the_errors_of_the_blind_set(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["eval", "--set", "test", "--errors"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: the 'test' set is blind: only its totals are shown, never its errors (tune on --set dev)"
    )
    result = CliRunner().invoke(cli, ["eval", "--gold", "tests/gold/test", "--errors"])
    assert result.exit_code == 1 and "blind" in result.output
