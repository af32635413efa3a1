"""Helpers shared by every test folder: where things are, the corpora, small sites, output trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.site import SiteFixture
from tests.helpers.tree import read_tree

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
HOSTILE = TESTS / "hostile"
FIXTURE_SITE = TESTS / "fixtures" / "site"

__all__ = ["FIXTURE_SITE", "HOSTILE", "REPO", "SHARED", "TESTS", "SiteFixture", "read_tree", "require_shared"]


def require_shared(*parts: str) -> Path:
    """Path under ../shared, or skip with a clear message when the corpora are not beside the repo."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora must sit beside the repository (../shared)")
    return path
