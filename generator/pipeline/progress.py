"""The progress of a build on stderr: a bar on a terminal, throttled plain lines in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import PurePosixPath

from generator.ingest.read import TopicInputs, terminal_safe

Log = Callable[[str], None]


class Progress:
    """A tqdm bar on a terminal; plain lines, at most one per ``every`` seconds, in logs."""

    def __init__(self, total: int, log: Log, tty: bool, every: float = 1.0) -> None:
        self.total, self.log, self.every = total, log, every
        self.done, self.last = 0, float("-inf")
        self.bar = None
        if tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="topic", file=sys.stderr, dynamic_ncols=True)

    def update(self, label: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label, refresh=False)
            self.bar.update()
            return
        now = time.monotonic()
        if self.done == self.total or now - self.last >= self.every:
            self.last = now
            self.log(f"[{self.done}/{self.total}] {label}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def label(inputs: TopicInputs) -> str:
    """How a topic source is named in the progress: its folder and how many articles it has."""
    name = "(loose files)" if inputs.loose else PurePosixPath(inputs.folder).name
    return terminal_safe(f"{name}: {len(inputs.articles)} articles")
