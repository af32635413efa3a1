"""Fixtures for every test folder; the shared helpers themselves live in ``tests.helpers``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SiteFixture


@pytest.fixture
def site(tmp_path: Path) -> SiteFixture:
    return SiteFixture(tmp_path / "site")
