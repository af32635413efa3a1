"""The layer contracts in pyproject.toml hold: import-linter (``lint-imports``) run as CI runs it.
The package's other shape checks (cycles, argparse, module size) are in tests/unit/test_architecture.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO


def test_layer_contracts_hold():
    command = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([command], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
