"""``site-builder theme eject``: copy the default theme's templates into a site's ``templates/`` so
that they can be edited there (a site's template overrides the theme's of the same name).

Nothing is overwritten unless asked: when any named template exists in the site already, none is
copied.
"""

from __future__ import annotations

import importlib.resources
import os
import shutil
from pathlib import Path

from site_builder.errors import SiteError

THEME_PACKAGE = "site_builder.theme"


def theme_templates() -> dict[str, Path]:
    """The theme's templates by name (``base.html``, ``_macros.html``...), sorted."""
    folder = Path(str(importlib.resources.files(THEME_PACKAGE)))
    return {p.name: p for p in sorted(folder.glob("*.html"))}


def eject_templates(templates_dir: Path, names: list[str], force: bool = False) -> list[Path]:
    """Copy the theme templates *names* (all when empty) into *templates_dir*; the files written."""
    available = theme_templates()
    wanted = names or list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise SiteError(
            f"no theme template {', '.join(map(repr, unknown))}; the theme has {', '.join(available)}"
        )
    targets = [templates_dir / name for name in wanted]
    existing = [path for path in targets if os.path.lexists(path)]
    if existing and not force:
        shown = ", ".join(str(path) for path in existing)
        raise SiteError(
            f"{shown} already exist{'s' if len(existing) == 1 else ''}; nothing copied (--force overwrites)"
        )
    if templates_dir.exists() and not templates_dir.is_dir():
        raise SiteError(f"{templates_dir} is not a folder")
    templates_dir.mkdir(parents=True, exist_ok=True)
    for name, target in zip(wanted, targets, strict=True):
        if target.is_symlink():
            target.unlink()  # a link is replaced, never written through
        temporary = target.with_name(f".{target.name}.eject.tmp")
        shutil.copyfile(available[name], temporary)
        os.replace(temporary, target)
    return targets
