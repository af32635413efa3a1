"""The default theme ships inside the package, so a non-editable install (`pip install .`) can build."""

import subprocess
import sys
import zipfile

from tests.helpers import REPO


def test_wheel_contains_the_default_theme(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("site_builder-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip
    missing = {name for name in theme if f"site_builder/theme/{name}" not in names}
    assert not missing, f"theme files missing from the wheel: {sorted(missing)}"
