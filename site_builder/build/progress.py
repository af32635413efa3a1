"""What a build tells a person while it runs: one line per phase, on stderr.

A cold build of a large archive spends tens of seconds reading and parsing before the first page is
rendered; without a word it looks hung. The phases are

    read: 10,000 content files, 10,000 to parse
    parse: 10,000 articles in 28.4 s
    plan: 30,412 pages, 30,412 to render in 3.1 s
    render: 30,412 pages in 41.0 s
    commit: 30,414 files written, 0 removed in 1.2 s

On a terminal the line of the phase under way is rewritten in place with its count, its total when
known and the time left (``render: 12,000/30,412 pages, 39%, about 1 min 2 s left``), at most four
times a second whatever the number of files; a finished phase stays on screen when it took a while,
so a quick incremental build still prints only its summary. With ``--verbose`` (a log, CI) every
phase's line is printed, and a long phase adds a line every ten seconds instead of rewriting one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

LIVE_INTERVAL = 0.25  # seconds between rewrites of the line on a terminal
LOG_INTERVAL = 10.0  # seconds between progress lines of a long phase in a log
KEEP_AFTER = 1.0  # on a terminal, a finished phase's line stays when the phase took this long
ETA_AFTER = 0.05  # the time left is estimated once this share of a phase is done


class BuildProgress:
    """Phase lines for one build. *stream* None: a silent reporter (``-q``, not a terminal, the API).

    *live*: rewrite the current line in place (a terminal); else one line per phase (*every_phase*)
    and a line every LOG_INTERVAL during a long one."""

    def __init__(
        self,
        stream: TextIO | None = None,
        live: bool = False,
        every_phase: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream, self.live, self.every_phase, self.clock = stream, live, every_phase, clock
        self.phase = ""
        self.unit = ""
        self.done = 0
        self.total: int | None = None
        self.started = self.last_shown = 0.0
        self.shown_live = False

    @classmethod
    def to_stderr(cls, interactive: bool, verbose: bool) -> BuildProgress:
        """Live on a terminal (*interactive*), phase lines with *verbose*, else silent."""
        import sys

        if not (interactive or verbose):
            return cls()
        return cls(sys.stderr, live=interactive and sys.stderr.isatty(), every_phase=verbose)

    @property
    def enabled(self) -> bool:
        return self.stream is not None

    def start(self, phase: str, unit: str, total: int | None = None) -> None:
        """A phase begins; *total*: how many *unit*s it will count, when known."""
        if self.stream is None:
            return
        self.phase, self.unit, self.total, self.done = phase, unit, total, 0
        self.started = self.last_shown = self.clock()

    def set_total(self, total: int) -> None:
        self.total = total

    def step(self, count: int = 1) -> None:
        """*count* more units done; the line is shown again only when LIVE_INTERVAL (LOG_INTERVAL in
        a log) has passed, so that a page costs an addition and a clock reading."""
        if self.stream is None:
            return
        self.done += count
        now = self.clock()
        if now - self.last_shown < (LIVE_INTERVAL if self.live else LOG_INTERVAL):
            return
        if self.total and self.done >= self.total:  # the phase's own line follows
            return
        self.last_shown = now
        if self.live:
            self._write("\r\x1b[2K" + self._status(now), end="")
            self.shown_live = True
        else:
            self._write(self._status(now))

    def finish(self, line: str) -> None:
        """The phase is over: *line* says what it did (the time taken is added)."""
        if self.stream is None:
            return
        seconds = self.clock() - self.started
        text = f"{self.phase}: {line} in {seconds:.1f} s"
        if self.live:
            clear = "\r\x1b[2K" if self.shown_live else ""
            if seconds >= KEEP_AFTER or self.every_phase:
                self._write(clear + text)
            elif clear:
                self._write(clear, end="")
        elif self.every_phase:
            self._write(text)
        self.shown_live = False

    def abandon(self) -> None:
        """The build stopped: clear a line being rewritten, so that the error is printed on its own."""
        if self.stream is not None and self.shown_live:
            self._write("\r\x1b[2K", end="")
            self.shown_live = False

    def _status(self, now: float) -> str:
        done = f"{self.done:,}"
        if not self.total:
            return f"{self.phase}: {done} {self.unit}..."
        share = min(self.done / self.total, 1.0)
        status = f"{self.phase}: {done}/{self.total:,} {self.unit}, {share:.0%}"
        elapsed = now - self.started
        if ETA_AFTER <= share < 1 and elapsed >= 1.0:  # (the first few files include starting the workers)
            status += f", about {_duration(elapsed * (1 - share) / share)} left"
        return status

    def _write(self, text: str, end: str = "\n") -> None:
        assert self.stream is not None
        self.stream.write(text + end)
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


SILENT = BuildProgress()
