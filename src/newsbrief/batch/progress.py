"""A progress bar on stderr: input consumed, records done, rate and ETA; off when not a TTY.

Progress is measured in input bytes (compressed bytes for .gz/.zst), the one total that is
known before a streamed JSONL file has been read to the end; records and records/s are shown
beside it.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any


class Progress:
    """Wraps ``rich.progress``; a no-op when disabled or when rich is not installed."""

    def __init__(self, total: int | None, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._pos = 0
        self.records = 0
        if not enabled:
            return
        try:
            from rich.console import Console
            from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress
        except ImportError:
            return
        self._bar = RichProgress(
            TextColumn("batch"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[records]} records, {task.fields[rate]}/s, {task.fields[failed]} failed"),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("batch", total=total, records=0, rate="-", failed=0)

    @property
    def enabled(self) -> bool:
        return self._bar is not None

    def update(self, pos: int, records: int, failed: int) -> None:
        self.records = records
        if self._bar is None:
            return
        self._pos = max(self._pos, pos)
        elapsed = time.monotonic() - self.started
        rate = f"{records / elapsed:,.0f}" if elapsed > 0 else "-"
        self._bar.update(self._task, completed=self._pos, records=f"{records:,}", rate=rate, failed=failed)

    def finish(self) -> None:
        if self._bar is not None:
            total = self._bar.tasks[0].total
            if total is not None:
                self._bar.update(self._task, completed=total)
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if et is not None and self._bar is not None:
            self._bar.stop()
            self._bar = None
        self.finish()
