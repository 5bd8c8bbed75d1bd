"""Text from outside (file names, a server's answer) made safe to print on one terminal line."""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(line: str) -> str:
    """The line with control and format characters escaped: a file named with a newline or a
    terminal escape code cannot forge another "skipped" line or recolour the terminal."""
    return "".join(_NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   if unicodedata.category(c) in ("Cc", "Cf") else c for c in line)
