"""The benchmark corpus generator: deterministic, French, readable by kg.corpus (bench runs stay out of pytest)."""

from __future__ import annotations

from bench.generate import generate
from kg.corpus import read_corpus


def test_the_same_seed_writes_the_same_articles_and_they_read_back(tmp_path):
    first = generate(3, tmp_path / "a", seed=11, words=200)
    second = generate(3, tmp_path / "b", seed=11, words=200)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert generate(1, tmp_path / "c", seed=12, words=200)[0].read_bytes() != first[0].read_bytes()
    articles, errors = read_corpus([tmp_path / "a"])
    assert not errors and len(articles) == 3
    assert all(a.date is not None and a.title and len(a.body.split()) >= 200 for a in articles)
