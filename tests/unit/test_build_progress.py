"""The build's phase lines: rate-limited on a terminal, one a phase in a log, nothing when silent."""

from __future__ import annotations

import io

from site_builder.build.progress import BuildProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_a_terminal_line_is_rewritten_at_most_four_times_a_second_with_total_and_time_left():
    clock, out = Clock(), Terminal()
    progress = BuildProgress(out, live=True, clock=clock)
    progress.start("render", "pages", 10_000)
    for _ in range(5_000):  # 5,000 pages in 2.5 s: 10 rewrites, not 5,000
        clock.now += 0.0005
        progress.step()
    assert out.writes <= 11
    last = out.getvalue().rsplit("\r\x1b[2K", 1)[1]
    assert last.startswith("render: 5,000/10,000 pages, 50%, about ") and last.endswith(" s left")
    assert 2 <= int(last.split("about ")[1].split()[0]) <= 3  # 2.5 s done, half way
    clock.now += 2.5
    progress.step(5_000)
    progress.finish("10,000 pages")
    assert out.getvalue().endswith("\r\x1b[2Krender: 10,000 pages in 5.0 s\n")


def test_a_quick_phase_leaves_nothing_on_a_terminal():
    clock, out = Clock(), Terminal()
    progress = BuildProgress(out, live=True, clock=clock)
    progress.start("plan", "pages")
    progress.step(30)
    clock.now += 0.2
    progress.finish("30 pages, 3 to render")
    assert out.getvalue() == ""


def test_a_log_gets_one_line_a_phase_and_a_line_every_ten_seconds_of_a_long_one():
    clock, out = Clock(), Terminal()
    progress = BuildProgress(out, every_phase=True, clock=clock)
    progress.start("parse", "articles", 3_000)
    for _ in range(3_000):
        clock.now += 0.01  # 30 s in all
        progress.step()
    progress.finish("3,000 articles")
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert len(lines) == 3 and lines[-1] == "parse: 3,000 articles in 30.0 s"
    assert lines[0].startswith("parse: 1,000/3,000 articles, 33%, about 20 s left")


def test_a_long_eta_reads_in_minutes():
    clock, out = Clock(), Terminal()
    progress = BuildProgress(out, live=True, clock=clock)
    progress.start("render", "pages", 100_000)
    clock.now += 30
    progress.step(20_000)
    assert "about 2 min 0 s left" in out.getvalue()


def test_silent_progress_writes_nothing():
    progress = BuildProgress()
    progress.start("read", "files")
    progress.step(10)
    progress.finish("10 content files")
    progress.abandon()
    assert not progress.enabled


def test_an_abandoned_line_is_cleared_for_the_error():
    clock, out = Clock(), Terminal()
    progress = BuildProgress(out, live=True, clock=clock)
    progress.start("parse", "articles", 10)
    clock.now += 1
    progress.step()
    progress.abandon()
    assert out.getvalue().endswith("\r\x1b[2K")


def test_no_time_left_is_guessed_from_the_first_few_files():
    clock, out = Clock(), Terminal()
    progress = BuildProgress(out, live=True, clock=clock)
    progress.start("parse", "articles", 3_000)
    clock.now += 1.5  # the workers starting
    progress.step()
    assert out.getvalue().endswith("parse: 1/3,000 articles, 0%")
