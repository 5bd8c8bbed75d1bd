"""The competency questions in queries/, run on the seeds, with the answers a reader expects."""

from __future__ import annotations

import pytest

from kg.query import read_query, run_query

from .conftest import ROOT

QUERIES = sorted((ROOT / "queries").glob("*.rq"))


def rows(store, name: str) -> list[dict[str, str | None]]:
    result = run_query(store, read_query(str(ROOT / "queries" / name)))
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_query_runs(seed_store, path):
    run_query(seed_store, read_query(str(path)))


def test_who_bid_for_what(seed_store):
    answers = {(r["bidder"], r["whole"]) for r in rows(seed_store, "bids.rq")}
    assert {("Microsoft", "TikTok"), ("Walmart", "TikTok")} <= answers


def test_who_rejected_which_bid(seed_store):
    answers = {(r["rejectedBy"], r["bidder"]) for r in rows(seed_store, "rejections.rq")}
    assert ("ByteDance", "Microsoft") in answers


def test_which_deadlines_by_whom(seed_store):
    answers = {(r["due"], r["imposedBy"]) for r in rows(seed_store, "deadlines.rq")}
    assert {("2020-09-20", "Donald Trump"), ("2020-11-12", "Donald Trump")} <= answers
    assert "2020-09-15" in {due for due, _ in answers}


def test_which_regulators_on_which_deal(seed_store):
    answers = {r["regulator"] for r in rows(seed_store, "regulators.rq")}
    assert {"Donald Trump", "Ministère du Commerce de la République populaire de Chine"} <= answers


def test_which_article_says_so(seed_store):
    answers = rows(seed_store, "sources.rq")
    microsoft = [r for r in answers if r["bidder"] == "Microsoft"]
    assert len({r["article"] for r in microsoft}) >= 3
    assert all(r["sentence"] and r["rule"] for r in microsoft)
