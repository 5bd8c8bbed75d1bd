"""The README's console examples, produced by running them: ``python docs/readme_examples.py``.

Every ``$ kg ...`` line of a ``console`` block in README.md is run on the seeds, through
the CLI's own entry point, and the lines after it are replaced by what it printed
(standard output and standard error, as a terminal shows them). ``--check`` changes
nothing and exits 1, with a diff, when an example no longer shows what the command
prints; ``tests/test_readme.py`` runs the same check.

Each example runs in a fresh folder of its own that holds links to ``seeds/``,
``queries/`` and ``tests/``, so the paths it prints are the README's relative ones. A
``kg build`` starts from no store; every other command gets a copy of the store the
first build wrote (or one built for it), so an example never sees what an earlier one
changed (``kg remove``), and the stores of :data:`STORES`, loaded from data files.

Long outputs are abridged by :data:`ABRIDGED`: the README shows some pieces of them,
each followed by ``…`` when lines were left out. What changes from run to run is
normalised, explicitly, before two outputs are compared (:data:`VARYING`); the README
keeps the text of the run that last changed it.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINKED = ("seeds", "queries", "tests")  # what the examples read, relative to the folder they run in
ELLIPSIS = "…"


@dataclass(frozen=True)
class Piece:
    """``count`` lines of an output, from the first line that matches ``start``."""

    start: str
    count: int


#: the pieces of an output the README shows, by command line (others are shown whole)
ABRIDGED: dict[str, tuple[Piece, ...]] = {
    "kg query queries/rejections.rq --format csv": (Piece("", 4),),
    "kg stats": (Piece("", 4), Piece("^Most central actors", 5)),
    "kg explain ByteDance": (Piece("", 10), Piece("^dkg:Bid ", 4)),
    'kg query "CONSTRUCT { ?b dkg:bidder ?x } WHERE { ?b a dkg:Bid ; dkg:bidder ?x }" --format ntriples':
        (Piece("", 2),),
}

#: stores beside the seeds' .kg/store, for examples that need other data: folder -> TriG file
STORES = {"broken": ROOT / "docs" / "examples" / "broken.trig", "deal": ROOT / "docs" / "examples" / "deal.trig"}

#: what differs between two runs of the same command on the same seeds, and what it becomes
VARYING: tuple[tuple[re.Pattern[str], str], ...] = (
    # kg build: the time the build took
    (re.compile(r"(?m)^(\d+ article\(s\) read, .* stored in )\d+(?:\.\d+)?s$"), r"\1(seconds)s"),
)

_FENCE = re.compile(r"^```console\n(?P<body>.*?)^```$", re.S | re.M)


def normalise(text: str) -> str:
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return text


def abridge(command: str, output: str) -> list[str]:
    lines = output.rstrip("\n").split("\n") if output.strip() else []
    pieces = ABRIDGED.get(command)
    if not pieces:
        return lines
    shown: list[str] = []
    end = 0
    for piece in pieces:
        start = next((i for i in range(end, len(lines)) if re.search(piece.start, lines[i])), None)
        if start is None:
            raise ValueError(f"{command}: no line matches {piece.start!r} (update ABRIDGED in {__file__})")
        if start > end and shown:
            shown.append(ELLIPSIS)
        shown.extend(lines[start:start + piece.count])
        end = start + piece.count
    if end < len(lines):
        shown.append(ELLIPSIS)
    return shown


@contextmanager
def _folder(store: Path | None) -> Iterator[Path]:
    """A fresh folder linking to the seeds, queries and tests, with a copy of ``store`` as .kg/store."""
    folder = Path(tempfile.mkdtemp(prefix="readme-example-"))
    previous = os.getcwd()
    try:
        for name in LINKED:
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
        if store is not None:
            shutil.copytree(store, folder / ".kg" / "store")
            for name, data in STORES.items():
                _load(folder / name, data)
        os.chdir(folder)
        yield folder
    finally:
        os.chdir(previous)
        shutil.rmtree(folder, ignore_errors=True)


def _load(location: Path, data: Path) -> None:
    from kg.store import open_store

    with open_store(str(location)) as store:
        store.dataset.parse(data, format="trig")


class Runner:
    """Runs ``kg`` command lines as the README shows them, each in a folder of its own."""

    def __init__(self) -> None:
        self._store = Path(tempfile.mkdtemp(prefix="readme-store-")) / "store"
        self._built = False

    def run(self, command: str) -> str:
        from click.testing import CliRunner

        from kg.cli import cli

        args = shlex.split(command)
        if args[0] != "kg":
            raise ValueError(f"not a kg command: {command}")
        building = args[1] == "build"
        if not building and not self._built:
            self.run("kg build")  # the seeds, for the examples that read a store
        with _folder(None if building else self._store) as folder:
            result = CliRunner().invoke(cli, args[1:], prog_name="kg", env={"KG_STORE": None})
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise RuntimeError(f"{command} failed: {result.exception!r}") from result.exception
            if building and not self._built:
                shutil.copytree(folder / ".kg" / "store", self._store)
                self._built = True
        return result.output

    def close(self) -> None:
        shutil.rmtree(self._store.parent, ignore_errors=True)


def _examples(body: str) -> list[tuple[str, list[str]]]:
    examples: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            examples.append((line[2:], []))
        elif examples:
            examples[-1][1].append(line)
    return examples


def render(readme: str, runner: Runner) -> str:
    """The README with every console example's output as the command prints it today.

    An example whose output differs only in what :data:`VARYING` normalises keeps its text.
    """

    def block(match: re.Match[str]) -> str:
        parts = []
        for command, shown in _examples(match["body"]):
            fresh = abridge(command, runner.run(command))
            old = shown[:-1] if shown and not shown[-1] else shown  # the blank line between examples
            lines = old if normalise("\n".join(old)) == normalise("\n".join(fresh)) else fresh
            parts.append("\n".join([f"$ {command}", *lines]))
        return "```console\n" + "\n\n".join(parts) + "\n```"

    return _FENCE.sub(block, readme)


def stale(readme: str, rendered: str) -> str:
    """The normalised diff between the README and what the commands print ('' when they agree)."""
    diff = difflib.unified_diff(normalise(readme).splitlines(), normalise(rendered).splitlines(),
                                "README.md", "what the commands print", lineterm="")
    return "\n".join(diff)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if an example is stale")
    parser.add_argument("readme", nargs="?", default=str(ROOT / "README.md"))
    options = parser.parse_args(argv)
    path = Path(options.readme)
    readme = path.read_text(encoding="utf-8")
    runner = Runner()
    try:
        rendered = render(readme, runner)
    finally:
        runner.close()
    difference = stale(readme, rendered)
    if options.check:
        if difference:
            print(difference)
            print(f"\n{path}: examples are stale; run python docs/readme_examples.py", file=sys.stderr)
            return 1
        return 0
    if rendered != readme:
        path.write_text(rendered, encoding="utf-8")
        print(f"{path}: examples regenerated")
    else:
        print(f"{path}: examples already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
