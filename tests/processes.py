"""Which processes a command left running, read from /proc: the helper of the tests that
stop or kill a command and check that its helper processes stopped with it."""

from __future__ import annotations

from pathlib import Path


def _state_and_parent(pid_dir: Path) -> tuple[str, int] | None:
    try:
        fields = (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def children(parent: int) -> list[int]:
    """The processes whose parent is ``parent``."""
    found = []
    for pid_dir in Path("/proc").glob("[0-9]*"):
        read = _state_and_parent(pid_dir)
        if read is not None and read[1] == parent:
            found.append(int(pid_dir.name))
    return found


def descendants(pid: int) -> list[int]:
    """Children, their children, and so on."""
    found, todo = [], [pid]
    while todo:
        below = children(todo.pop())
        found += below
        todo += below
    return found


def running(pids: list[int]) -> list[int]:
    """Those still running: a zombie has stopped, only its exit status is left to reap."""
    alive = []
    for pid in pids:
        read = _state_and_parent(Path(f"/proc/{pid}"))
        if read is not None and read[0] != "Z":
            alive.append(pid)
    return alive
