"""Fingerprint, render and commit: the planned pages become files in output/.

Pages are taken from the plan one at a time; an unchanged one (same fingerprint, file as recorded) is
only recorded, changed ones are rendered in batches by the workers into a staging folder, and the
commit moves them into place (an atomic swap, or in place under the dev server's guard).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.claims import OutputClaims
from site_builder.build.context import BuildContext
from site_builder.build.digests import STATIC_PRINT
from site_builder.build.images import IMAGE_PRINT, stage_derived, stale_derived
from site_builder.build.output.commit import commit_in_place, commit_swap
from site_builder.build.output.journal import commit_journaled, needs_journal
from site_builder.build.output.ownership import MARKER_TEXT
from site_builder.build.output.scratch import Scratch
from site_builder.build.output.staging import MARKER, Staging, stage_if_changed
from site_builder.build.planning import Plan
from site_builder.build.progress import BuildProgress
from site_builder.build.report import BuildReport
from site_builder.build.state.memory import BuildMemory
from site_builder.build.workers import (
    PackedPage,
    RenderOutcome,
    pack,
)
from site_builder.config import SiteConfig
from site_builder.model.page import Page
from site_builder.render.environment import make_environment
from site_builder.render.fingerprint import TemplateHasher, build_salt, fingerprint_data

CommitGuard = Callable[[], contextlib.AbstractContextManager]


# Changed pages are rendered a batch at a time, so that only one batch's planned data is held (as the
# pickles made for the fingerprints, which are what the workers are sent): up to RENDER_BATCH pages or
# RENDER_BATCH_BYTES of data (a person's first page, with the timeline of every month, weighs ten
# article pages).
RENDER_BATCH = 20_000
RENDER_BATCH_BYTES = 12_000_000


def render_and_commit(
    context: BuildContext,
    plan: Plan,
    statics: dict[str, Path],
    progress: bool | BuildProgress,
    guard: CommitGuard | None,
    hasher: TemplateHasher | None = None,
) -> tuple[BuildReport, dict[str, tuple[bytes, int]]]:
    """Fingerprint, render what changed, commit; the report and the record of the new output/.

    *guard* (the dev server's) is entered around the commit; *hasher*: the template hasher to use
    when the build's memory has none. A long-running caller's memory keeps what its next build
    reuses: the template hashes and the fingerprints of unchanged search index pages (its Workers
    keep the compiled templates). *progress* reports the plan, render and commit phases.
    """
    if not isinstance(progress, BuildProgress):
        progress = BuildProgress.to_stderr(progress, False)
    return _Rendering(context, plan, statics, progress, guard, hasher).run()


class _Rendering:
    """The state of one render-and-commit: the record of output/ being made, the staging folder, the
    claims on output paths and the report."""

    def __init__(
        self,
        context: BuildContext,
        plan: Plan,
        statics: dict[str, Path],
        progress: BuildProgress,
        guard: CommitGuard | None,
        hasher: TemplateHasher | None,
    ) -> None:
        config = context.config
        self.context, self.plan, self.statics, self.guard = context, plan, statics, guard
        self.memory = context.memory if context.keeps_memory else BuildMemory()
        if self.memory.hasher is None:
            self.memory.hasher = hasher or TemplateHasher(make_environment(config))
        self.overlay = plan.stale is not None  # carried is the whole last record (see Plan.stale)
        self.touched: list[str] = []  # with an overlay: the paths whose record may change
        if self.overlay:  # static files are recorded again below, from what static/ holds now
            self.carried = plan.kept
        else:  # static files (and processed images) are recorded below from what the build has now
            copied = (STATIC_PRINT, IMAGE_PRINT) if plan.derived is not None else STATIC_PRINT
            self.carried = {p: value for p, value in plan.kept.items() if not value[0].startswith(copied)}
        # files copied, not rendered: static files and processed images (their cached files)
        self.copied = {**statics, **{p: f for p, (_, f) in plan.derived.items()}} if plan.derived else statics
        # a whole plan is checked as it goes; a partial one only if it brings paths the last build lacked
        self.claims = OutputClaims(self.copied, self.carried.keys()) if not self.carried else None
        self.report = BuildReport(unchanged=len(self.carried))
        self.recorded: dict[str, tuple[bytes, int]] = dict(self.carried)
        self.staging = Staging(config.cache_dir, _tree_staging(config, guard))
        self.bar = _Progress(progress)

    def run(self) -> tuple[BuildReport, dict[str, tuple[bytes, int]]]:
        workers = self.context.workers
        try:
            planned = self.render_pages()
            workers.close()  # nothing left to render: the workers' memory is not held through the commit
            self.bar.progress.start("commit", "files")
            self.check_claims(planned)
            del planned
            self.copy_statics()
            stale = self.stale_paths()
            self.commit(stale)
            self.bar.progress.finish(f"{self.report.written:,} files written, {len(stale):,} removed")
        except BaseException:
            workers.close()  # pages still being rendered into the staging folder: waited for, or cancelled
            self.staging.discard()
            raise
        touched = self.touched if self.overlay else None
        self.context.cache.record_pages(self.recorded, self.plan.previous, self.plan.state, touched)
        self.report.removed = len(stale)
        self.report.removed_paths = stale
        return self.report, self.recorded

    def render_pages(self) -> list[Page]:
        """Fingerprint every planned page; hand the changed ones to the workers a batch at a time; the
        pages whose claims are still to be checked (all of them, for a partial plan).

        The hottest loop of a build (every page of the site, on a full plan): what it reads is held in
        local names."""
        plan, report, recorded, staging, bar = self.plan, self.report, self.recorded, self.staging, self.bar
        workers, claims, overlay, touched = self.context.workers, self.claims, self.overlay, self.touched
        existing, previous = plan.existing, plan.previous
        hasher, stored_prints = self.memory.hasher, self.memory.stored_prints
        assert hasher is not None
        remember = self.context.keeps_memory
        salt = build_salt(self.context.config)
        planned: list[Page] = []
        pending: _Batch | None = None  # handed to the workers, its outcomes not taken yet
        to_render: list[PackedPage] = []
        weight = queued = 0
        for page in plan.pages:
            if claims is not None:
                claims.claim(page)
            else:
                planned.append(page)
            report.planned += 1
            bar.planned()
            if overlay:
                touched.append(page.path)
            stored = stored_prints.get(page.path)
            if stored is not None and stored[0] is page:
                print_, data = stored[1], None
            else:
                print_, data = fingerprint_data(page, hasher, salt)
                if remember and page.kind == "stored":  # the search index keeps these objects
                    stored_prints[page.path] = (page, print_)
            if _intact(page.path, print_, existing, previous):
                recorded[page.path] = (print_, previous[page.path][1])
                report.unchanged += 1
            else:
                recorded[page.path] = (print_, -1)
                packed = pack(page, data)
                to_render.append(packed)
                queued += 1
                weight += len(packed[-1])
                if len(to_render) >= RENDER_BATCH or weight >= RENDER_BATCH_BYTES:
                    pending = _hand_over(to_render, pending, workers, staging, recorded, report, bar)
                    to_render, weight = [], 0
        bar.plan_done(report.planned, queued)
        _hand_over(to_render, pending, workers, staging, recorded, report, bar).take(
            staging, recorded, report, bar
        )
        bar.close()
        return planned

    def check_claims(self, planned: list[Page]) -> None:
        """A partial plan's pages are checked for clashes only when they bring paths the last build
        did not have (the paths it had were checked then)."""
        statics, carried = self.copied, self.carried
        if self.claims is not None or not _new_paths(planned, statics, self.plan.previous):
            return
        others = (
            carried.keys() - {page.path for page in planned} - statics.keys()
            if self.overlay
            else carried.keys()
        )
        claims = OutputClaims(statics, others)
        for page in planned:
            claims.claim(page)

    def copy_statics(self) -> None:
        plan, output = self.plan, self.context.config.output_dir
        for relative, source in self.statics.items():
            self.recorded[relative] = _copy_static(
                relative, source, output, plan.existing, plan.previous, self.staging, self.report
            )
        if plan.derived is not None:
            args = (output, plan.existing, plan.previous, self.staging, self.report, self.recorded)
            self.touched += stage_derived(plan.derived, *args)

    def stale_paths(self) -> list[str]:
        """The files of output/ that this build does not produce (sorted); the report's counts set."""
        plan, report, recorded = self.plan, self.report, self.recorded
        if self.overlay:
            assert plan.stale is not None
            gone = plan.stale + (
                stale_derived(self.carried, plan.derived) if plan.derived is not None else []
            )
            stale = sorted(path for path in gone if recorded.pop(path, None) is not None)
            self.touched += [*self.statics, *stale]
            report.pages, report.unchanged = len(recorded), len(recorded) - report.written
            return stale
        assert plan.existing is not None
        report.pages = report.planned + len(self.carried) + len(self.copied)
        return sorted(plan.existing.keys() - recorded.keys())

    def commit(self, stale: list[str]) -> None:
        """Move the staged files into output/ and remove the stale ones: an atomic swap, or in place
        under the dev server's guard (requests wait for it)."""
        config, plan, staging = self.context.config, self.plan, self.staging
        if not (config.output_dir / MARKER).is_file():  # a new output/ (see build.output.ownership)
            staging.add(MARKER, MARKER_TEXT)
        if staging.files or stale:
            self.context.cache.forget_pages()  # the rows stay: record_pages writes the difference
        if self.guard is None and config.atomic_output and needs_journal(config.output_dir):
            commit_journaled(staging, config.output_dir, stale, config.cache_dir)  # a mount point
        elif self.guard is None and config.atomic_output:
            spare = plan.spare.result() if plan.spare is not None else None
            scratch = Scratch.for_output(config.output_dir, config.cache_dir)
            commit_swap(staging, config.output_dir, stale, scratch, plan.index, spare)
        else:
            with self.guard() if self.guard else contextlib.nullcontext():
                commit_in_place(staging, config.output_dir, stale)


def _tree_staging(config: SiteConfig, commit_guard: CommitGuard | None) -> Scratch | None:
    """The scratch of a commit that can take a staged tree whole: a swap into an output/ that does not
    exist yet (a first build, or output/ deleted), with the scratch in the cache folder."""
    if commit_guard is not None or not config.atomic_output or config.output_dir.exists():
        return None
    scratch = Scratch.for_output(config.output_dir, config.cache_dir)
    return scratch if scratch.folder == config.cache_dir else None


def _new_paths(pages: list[Page], statics: dict[str, Path], previous: dict[str, tuple[bytes, int]]) -> bool:
    return any(page.path not in previous for page in pages) or any(path not in previous for path in statics)


def _hand_over(pages, pending, workers, staging, recorded, report, bar) -> _Batch:
    """Give *pages* to the renderer, then take the outcomes of the batch given before (*pending*): the
    workers have the next batch while this process records the last one and plans the following."""
    submitted = _Batch(pages, workers.render(pages, staging.area))
    if pending is not None:
        pending.take(staging, recorded, report, bar)
    return submitted


@dataclass
class _Batch:
    """Pages handed to the renderer and their outcomes, to be taken in order."""

    pages: list[PackedPage]
    outcomes: Iterator[RenderOutcome]

    def take(self, staging: Staging, recorded: dict, report: BuildReport, bar: _Progress) -> None:
        for page, outcome in zip(self.pages, self.outcomes, strict=False):
            path = page[0]  # this process's string, already a key of recorded (not the worker's copy)
            recorded[path] = (recorded[path][0], outcome.size)
            report.rendered += 1
            _count(report, staging, path, outcome.written)
            bar.update()


def _intact(path: str, print_: bytes, existing: dict[str, int] | None, previous: dict) -> bool:
    """Same fingerprint as last build and the file still there with the size we wrote (*existing*
    None: output/ is known to be as recorded)."""
    recorded = previous.get(path)
    if recorded is None or recorded[0] != print_:
        return False
    return existing is None or existing.get(path) == recorded[1]


def _count(report: BuildReport, staging: Staging, path: str, written: bool) -> None:
    if written:
        staging.files.append(path)
        report.written += 1
        report.changed_paths.append(path)
    else:
        report.unchanged += 1


def _copy_static(relative, source, output, existing, previous, staging, report) -> tuple[bytes, int]:
    data = source.read_bytes()
    print_ = STATIC_PRINT + hashlib.sha256(data).digest()
    if _intact(relative, print_, existing, previous):
        report.unchanged += 1
        return print_, len(data)
    _count(report, staging, relative, stage_if_changed(output, staging.area, relative, data))
    return print_, len(data)


class _Progress:
    """The plan and render phases of :class:`BuildProgress`: pages are planned (fingerprinted) and
    rendered at once, a batch behind, so the pages to render are known only when the plan is done;
    pages rendered before then are counted when the render phase starts."""

    def __init__(self, progress: BuildProgress) -> None:
        self.progress, self.rendered, self.planning = progress, 0, True

    def planned(self) -> None:
        self.progress.step()

    def plan_done(self, pages: int, to_render: int) -> None:
        self.planning = False
        self.progress.finish(f"{pages:,} pages, {to_render:,} to render")
        self.progress.start("render", "pages", to_render)
        self.progress.step(self.rendered)

    def update(self) -> None:
        self.rendered += 1
        if not self.planning:
            self.progress.step()

    def close(self) -> None:
        self.progress.finish(f"{self.rendered:,} pages")
