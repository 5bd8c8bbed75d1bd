"""The README and CONTRIBUTING.md: their examples run and their links lead somewhere.

``tests/test_cli.py`` checks that every command has ``--help`` and is named in the
README; here every command must also have an example in a ``console`` block, and
every ``kg query`` the README shows is run on the seeds with the options it gives
(through the CLI's own parser), its header compared with what the README prints.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from kg.cli import cli
from kg.query import answer, read_query, run_query

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING_PATH = ROOT / "CONTRIBUTING.md"

_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```", re.S | re.M)


def _blocks(text: str, *langs: str) -> list[str]:
    return [m["body"] for m in _FENCE.finditer(text) if m["lang"] in langs]


def _console_examples(text: str) -> list[tuple[str, list[str]]]:
    """(command line, the lines it prints) for every ``$ kg ...`` of the console blocks."""
    examples: list[tuple[str, list[str]]] = []
    for block in _blocks(text, "console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples and line.strip():
                examples[-1][1].append(line)
    return examples


def _query_examples() -> list[tuple[str, list[str]]]:
    found = [(c, out) for c, out in _console_examples(README) if c.startswith("kg query ")]
    for block in _blocks(README, "sh", "bash"):  # e.g. the SPARQL server section
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command.startswith("kg query "):
                found.append((command, []))
    return found


QUERY_EXAMPLES = _query_examples()


def _query_params(command: str) -> dict[str, Any]:
    """The parameters click would give ``kg query`` for this command line."""
    args = shlex.split(command)[2:]
    with cli.commands["query"].make_context("query", args) as ctx:
        return dict(ctx.params)


def test_every_command_has_an_example_in_a_console_block() -> None:
    shown = {shlex.split(command)[1] for command, _ in _console_examples(README)}
    missing = sorted(set(cli.commands) - shown)
    assert not missing, f"README.md has no `$ kg <command>` example for: {', '.join(missing)}"


def test_console_examples_show_their_output() -> None:
    silent = [command for command, output in _console_examples(README) if not output]
    assert not silent, f"README.md examples without their output: {silent}"


def test_the_readme_shows_several_queries() -> None:
    assert len(QUERY_EXAMPLES) >= 2
    assert any(not command.split()[2].endswith(".rq") for command, _ in QUERY_EXAMPLES), "no inline SPARQL"


@pytest.mark.parametrize(("command", "shown"), QUERY_EXAMPLES, ids=[c for c, _ in QUERY_EXAMPLES])
def test_readme_query_runs_on_the_seeds(
    command: str, shown: list[str], seed_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the repository
    params = _query_params(command)
    result = run_query(seed_store, read_query(params["sparql"]))
    assert result.rows, f"{command} finds nothing on the seeds"
    printed = answer(seed_store, read_query(params["sparql"]), params["fmt"]).splitlines()
    if shown:
        # the rows depend on the rules of the day; the columns are the contract
        assert printed[0].split() == shown[0].split(), f"{command}: README shows {shown[0]!r}"


def _local_links(text: str) -> list[str]:
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    return [link for link in links if not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_local_links_lead_to_files(document: str) -> None:
    path = ROOT / document
    assert path.is_file(), f"{document} is missing"
    links = _local_links(path.read_text(encoding="utf-8"))
    broken = [link for link in links if not (path.parent / link).exists()]
    assert not broken, f"{document} links to missing files: {broken}"


def test_readme_links_the_screenshot_the_ontology_page_and_the_notebooks() -> None:
    links = set(_local_links(README))
    assert {"docs/graph.png", "docs/ontology.md", "CONTRIBUTING.md"} <= links
    assert {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")} <= links


def test_contributing_names_what_it_documents() -> None:
    text = CONTRIBUTING_PATH.read_text(encoding="utf-8")
    for needle in ("tests/test_rules.py", "kg eval", "tests/gold/README.md", "ruff check", "bench/"):
        assert needle in text, f"CONTRIBUTING.md does not mention {needle}"
    for name in re.findall(r"`(kg/[\w/.]+\.(?:py|toml))`", text):
        assert (ROOT / name).exists(), f"CONTRIBUTING.md names {name}, which does not exist"


def test_readme_example_rule_is_a_valid_rule(tmp_path: Path) -> None:
    """The rule shown under "Writing a rule" loads with the real lexicons."""
    from kg.rules import FRENCH, load_lexicons, load_rules

    block = next(b for b in _blocks(README, "toml") if "[[rule]]" in b)
    rule_file = tmp_path / "rules.toml"
    rule_file.write_text(block, encoding="utf-8")
    (rule,) = load_rules(rule_file, load_lexicons(Path(FRENCH) / "lexicons.toml"))
    assert rule.examples


def test_readme_scores_are_what_kg_eval_prints_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's side-by-side scores are re-measured: a rule change that moves
    them must update the README in the same commit."""
    from kg.evaluate import run_eval

    shown = [out for command, out in _console_examples(README) if command == "kg eval --set all"]
    assert shown, "README.md shows no `$ kg eval --set all` with its output"
    monkeypatch.chdir(ROOT)
    assert run_eval("all").splitlines() == shown[0]
