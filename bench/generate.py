"""A deterministic generator of French deal articles for the benchmarks.

The French lives in ``bench/templates/fr.toml`` (companies, regulators, people,
sentence templates); this module only draws from it with a seeded random
generator, so ``generate(1000, out, seed=7)`` writes the same files on every
machine. Each article tells one deal: a lead, then bids, refusals, regulators,
deadlines, stakes, partnerships and quotes, padded with market context to about
``words`` words, in paragraphs of two to four sentences.

    .venv/bin/python -m bench.generate 1000 /tmp/corpus --seed 7
"""

from __future__ import annotations

import argparse
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

TEMPLATES = Path(__file__).parent / "templates" / "fr.toml"
# how often each kind of fact sentence is drawn after the lead (filler pads the rest)
_WEIGHTS = {"bid": 3, "reject": 2, "regulation": 3, "deadline": 2, "stake": 1, "partnership": 1, "role": 2}
_FACT_SHARE = 0.45  # about half the sentences state a fact; the rest is context, as in the press


@dataclass(frozen=True)
class Deal:
    bidder: list[str]
    target: list[str]
    seller: list[str]
    regulator: list[str]
    person: str
    role: str
    media: str
    amount: str
    year: int
    month: int
    day: int


def load_templates(path: Path = TEMPLATES) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _draw_deal(rng: random.Random, data: dict[str, Any]) -> Deal:
    bidder, target, seller = rng.sample(data["companies"], 3)
    return Deal(bidder, target, seller, rng.choice(data["regulators"]), rng.choice(data["people"]),
                rng.choice(data["roles"]), rng.choice(data["media"]), rng.choice(data["amounts"]),
                rng.choice(data["years"]), rng.randint(1, 12), rng.randint(1, 28))


def _fields(rng: random.Random, data: dict[str, Any], deal: Deal) -> dict[str, str]:
    months = data["months"]
    when = rng.choice([
        f"le {deal.day} {months[deal.month - 1]} {deal.year}",
        f"{rng.choice(data['weekdays'])} {deal.day} {months[deal.month - 1]}",
        f"ce {rng.choice(data['weekdays'])}",
        f"début {months[deal.month - 1]}",
    ])
    later = (deal.month + rng.randint(1, 5) - 1) % 12
    year = deal.year + (1 if later < deal.month - 1 else 0)
    return {
        "bidder": deal.bidder[0], "bidder_desc": deal.bidder[1], "target": deal.target[0],
        "target_desc": deal.target[1], "seller": deal.seller[0], "sector": deal.target[2],
        "country": deal.target[3], "regulator": deal.regulator[0], "regulator_short": deal.regulator[1],
        "person": deal.person, "role": deal.role, "media": deal.media, "amount": deal.amount,
        "date": when, "deadline": f"{rng.randint(1, 28)} {months[later]} {year}",
        "month": rng.choice([f"fin {months[later]}", f"la fin de l'année {year}", f"{months[later]} {year}"]),
    }


def _sentence(template: str, fields: dict[str, str]) -> str:
    text = template.format(**fields)
    return text[0].upper() + text[1:]


def article_text(rng: random.Random, data: dict[str, Any], *, words: int = 500) -> tuple[str, str]:
    """One article: (first line with date and title, body)."""
    deal = _draw_deal(rng, data)
    fields = _fields(rng, data, deal)
    templates = data["templates"]
    kinds = list(_WEIGHTS)
    weights = [_WEIGHTS[k] for k in kinds]
    sentences = [_sentence(rng.choice(templates["lead"]), fields)]
    count = len(sentences[0].split())
    while count < words:
        kind = rng.choices(kinds, weights)[0] if rng.random() < _FACT_SHARE else "filler"
        sentence = _sentence(rng.choice(templates[kind]), fields)
        for _ in range(4):  # a press article rarely says the same sentence twice
            if sentence not in sentences:
                break
            sentence = _sentence(rng.choice(templates[kind]), fields)
        sentences.append(sentence)
        count += len(sentence.split())
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    title = _sentence(rng.choice(data["titles"]), fields)
    header = f"date {deal.year}-{deal.month:02d}-{deal.day:02d} {title}"
    return header, "\n\n".join(paragraphs)


def generate(count: int, out: str | Path, *, seed: int = 0, words: int = 500) -> list[Path]:
    """Write ``count`` articles as ``out/bench_00000.txt``...; the same seed gives the same files."""
    data = load_templates()
    rng = random.Random(seed)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    width = max(5, len(str(count - 1)))
    for index in range(count):
        header, body = article_text(rng, data, words=words)
        path = folder / f"bench_{index:0{width}d}.txt"
        path.write_text(f"{header}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def synthetic_graph(actors: int, relations: int, seed: int = 7) -> nx.MultiDiGraph:
    """An actor graph (as :func:`kg.graph.actor_graph` gives) of ``actors`` and ``relations``.

    Scale-free-ish: a few hubs, many small actors, like real deal news; every relation
    kind in turn, one sentence of evidence each. For the viewer's benchmark and tests.
    """
    # imported here: writing articles needs neither, and kg.graph brings rdflib
    import networkx as nx

    from kg.graph import RELATIONS

    rnd = random.Random(seed)
    kinds = ("organization", "person", "government", "media")
    g = nx.MultiDiGraph()
    for i in range(actors):
        g.add_node(f"n{i}", label=f"Actor {i}", kind=kinds[i % 4], altLabels=[], sameAs=[],
                   articles=[])
    for j in range(relations):
        u = rnd.randrange(actors)
        v = (int(rnd.paretovariate(1.1)) * 7 + u + 1) % actors
        g.add_edge(f"n{u}", f"n{v}", relation=RELATIONS[j % len(RELATIONS)],
                   summary=f"relation {j}",
                   evidence=[{"sentence": f"Sentence {j}.", "article_title": "Synthetic",
                              "article_date": f"2020-{1 + j % 12:02d}-01",
                              "article_iri": "urn:a", "rule": "r", "hedged": False}])
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description="Write N generated French deal articles into OUT.")
    parser.add_argument("count", type=int, help="number of articles (100, 1000, 10000...)")
    parser.add_argument("out", help="folder to write into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, default=500, help="approximate words per article")
    args = parser.parse_args()
    paths = generate(args.count, args.out, seed=args.seed, words=args.words)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
