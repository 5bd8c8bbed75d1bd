"""The README and CONTRIBUTING.md: their examples run and their links lead somewhere.

``tests/test_cli.py`` checks that every command has ``--help`` and is named in the
README; here every command must also have an example in a ``console`` block, every
console example must be what ``docs/readme_examples.py`` gets by running it on the
seeds today (the ``kg eval --set all`` score table included), and every ``kg query``
of the other blocks is run on the seeds with the options it gives (through the CLI's
own parser); its Python examples run on a copy of the seed store.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.cli import cli
from kg.query import answer, query_form, read_query, run_query

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


def _query_params(command: str) -> tuple[dict[str, Any], str | None]:
    """The parameters click would give ``kg query`` for this command line, and the file a
    ``<`` redirection gives as standard input (a ``>`` redirection is left out)."""
    args = shlex.split(command)[2:]
    stdin = None
    for sign in ("<", ">"):
        if sign in args:
            at = args.index(sign)
            if sign == "<":
                stdin = args[at + 1]
            del args[at:at + 2]
    with cli.commands["query"].make_context("query", args) as ctx:
        return dict(ctx.params), stdin


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
    params, stdin = _query_params(command)
    text = read_query(stdin if params["sparql"] == "-" else params["sparql"])
    if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
        assert answer(seed_store, text, params["fmt"]).strip(), f"{command} finds nothing on the seeds"
    else:
        assert run_query(seed_store, text).rows, f"{command} finds nothing on the seeds"
    printed = answer(seed_store, text, params["fmt"]).splitlines()
    if shown:
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


def _examples_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("readme_examples", ROOT / "docs" / "readme_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up there)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def examples() -> Any:
    return _examples_module()


@pytest.fixture(scope="module")
def rendered(examples: Any) -> str:
    """The README with every console example run again on the seeds (about 30 s: a build and kg eval)."""
    runner = examples.Runner()
    try:
        return examples.render(README, runner)
    finally:
        runner.close()


def test_every_console_example_is_what_the_command_prints_today(examples: Any, rendered: str) -> None:
    difference = examples.stale(README, rendered)
    assert not difference, ("README.md's console examples are stale; run python docs/readme_examples.py\n"
                            + difference)


def test_the_score_table_is_one_of_the_regenerated_examples() -> None:
    """The scores move with every rule change: the block after `$ kg eval --set all` is regenerated too."""
    shown = [out for command, out in _console_examples(README) if command == "kg eval --set all"]
    assert shown and shown[0][0].startswith("relation"), "README.md shows no `$ kg eval --set all` table"


def test_only_what_varies_is_normalised(examples: Any, rendered: str) -> None:
    """The build's time may differ from the README's; a count may not."""
    timed = re.sub(r"(triples stored in )\d+(\.\d+)?s", r"\g<1>987.6s", rendered)
    assert timed != rendered and not examples.stale(timed, rendered)
    miscounted = rendered.replace("5 article(s) read, 5 built", "5 article(s) read, 4 built", 1)
    assert miscounted != rendered and examples.stale(miscounted, rendered)
    moved = rendered.replace("wrote out/graph.trig", "wrote out/other.trig", 1)
    assert moved != rendered and "+wrote out/graph.trig" in examples.stale(moved, rendered)


def test_abridged_outputs_mark_what_they_leave_out(examples: Any) -> None:
    command = "kg stats"
    output = "\n".join(["a", "b", "c", "d", "e", "Most central actors", "1", "2", "3", "4", "5", "6"])
    assert examples.abridge(command, output) == ["a", "b", "c", "d", "…", "Most central actors", "1", "2", "3",
                                                 "4", "…"]
    assert examples.abridge("kg validate", "conforms\n") == ["conforms"]


def test_readme_python_examples_run_on_the_seeds(seed_store_copy: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(seed_store_copy, tmp_path / ".kg" / "store")  # where the examples open it
    monkeypatch.chdir(tmp_path)
    blocks = _blocks(README, "python")
    assert blocks
    for block in blocks:
        names: dict[str, Any] = {}
        exec(compile(block, "README.md", "exec"), names)
        frame = names.get("due")
        if frame is not None:  # the to_dataframe example: due dates come typed
            assert len(frame) > 0 and str(frame["due"].dtype).startswith("datetime64")
