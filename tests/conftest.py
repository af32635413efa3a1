"""Fixtures for every test folder, and the folder markers; the shared helpers live in ``tests.helpers``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import TESTS, SiteFixture

FOLDERS = ("unit", "functional", "system")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its folder's kind, so `-m "not system"` selects the fast subset; a test
    outside the three folders would silently escape that choice, so it is an error."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else ""
        if folder not in FOLDERS:
            raise pytest.UsageError(f"{item.nodeid}: move it to tests/unit/, functional/ or system/")
        item.add_marker(folder)


@pytest.fixture
def site(tmp_path: Path) -> SiteFixture:
    return SiteFixture(tmp_path / "site")
