"""What a build did, for the command line's one-line summary and for callers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
    planned: int = 0  # pages whose data was computed (all of them, unless only a few articles changed)
    rendered: int = 0  # fingerprint changed, so rendered again (even if the bytes came out the same)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    scheduled: int = 0  # articles left out because they are dated in the future (no --future)
    seconds: float = 0.0
    changed_paths: list[str] = field(default_factory=list)
    removed_paths: list[str] = field(default_factory=list)

    def summary(self) -> str:
        state = "nothing changed" if not (self.written or self.removed) else f"{self.written} written"
        scheduled = f", {self.scheduled} scheduled (future date)" if self.scheduled else ""
        return (
            f"{self.articles} articles{scheduled}, {self.pages} files: {state}, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.2f} s"
        )
