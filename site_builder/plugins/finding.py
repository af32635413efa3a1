"""Finding a plugin by name and importing it, with a digest of the code it runs.

A name is looked up in the site's ``plugins/`` folder (``plugins/<name>.py`` or a package
``plugins/<name>/``), then among installed packages' entry points in the group ``site_builder.plugins``,
then among the examples shipped with site_builder. The digest covers the bytes of every file of the
plugin's module (the whole folder of a package) and the installed distribution's version, so an edit
of the plugin changes it; a module is imported again in this process when its digest changed (the dev
server keeps running while the plugin is edited).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError
from site_builder.version import __version__

ENTRY_POINT_GROUP = "site_builder.plugins"
SITE_FOLDER = "plugins"
EXAMPLES_PACKAGE = "site_builder.plugins.examples"
_SITE_MODULE_PREFIX = "site_builder_site_plugin_"  # site plugins' names in sys.modules


@dataclass(frozen=True)
class PluginSource:
    """Where a plugin's code is: shown in messages, hashed for its digest, imported by *load*."""

    name: str
    origin: str  # e.g. "plugins/reading_time.py", "entry point reading_time = pkg.mod"
    files: tuple[Path, ...]  # the code the digest covers
    version: str  # the installed distribution and its version, if any
    load: Callable[[], Any]
    module: str | None = None  # the module's name in sys.modules (imported again when the code changed)
    root: Path | None = None  # the site's folder, for a plugin in it: its files are shown relative to it

    def shown(self, filename: str) -> str:
        """A file of the plugin as messages show it (relative to the site, for a site's plugin)."""
        if self.root is not None and Path(filename).is_relative_to(self.root):
            return Path(filename).relative_to(self.root).as_posix()
        return filename

    def digest(self) -> str:
        digest = hashlib.sha256(f"{self.name}\0{self.origin}\0{self.version}".encode())
        for path in self.files:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise SiteError(f"plugin '{self.name}' cannot be read: {error.strerror}", path) from None
            digest.update(f"\0{path.name}\0{len(data)}\0".encode() + data)
        return digest.hexdigest()


# (site folder, name) -> (code digest, the imported plugin): each process imports a plugin once per version
_imported: dict[tuple[str, str], tuple[str, Any]] = {}


def import_plugin(name: str, site_dir: Path) -> tuple[PluginSource, str, Any]:
    """The plugin called *name* for the site in *site_dir*: its source, code digest and module (or object)."""
    source = find_plugin(name, site_dir)
    digest = source.digest()
    key = (str(site_dir), name)
    known = _imported.get(key)
    if known is not None and known[0] == digest:
        return source, digest, known[1]
    plugin = _load(source, reload=known is not None)
    _imported[key] = (digest, plugin)
    return source, digest, plugin


def find_plugin(name: str, site_dir: Path) -> PluginSource:
    """Where the plugin *name* is (see the module's docstring), or a SiteError saying where it was
    looked for."""
    found = _in_site_folder(name, site_dir) or _entry_point(name) or _example(name)
    if found is None:
        raise SiteError(
            f"plugin '{name}' not found: no {SITE_FOLDER}/{name}.py or {SITE_FOLDER}/{name}/ in the site, "
            f"no installed package registers it (entry point group '{ENTRY_POINT_GROUP}') and "
            "site_builder ships no example of that name",
            site_dir / "site.toml",
            field="plugins",
        )
    return found


def _in_site_folder(name: str, site_dir: Path) -> PluginSource | None:
    if not name.isidentifier():
        return None
    folder = site_dir / SITE_FOLDER
    single, package = folder / f"{name}.py", folder / name / "__init__.py"
    if package.is_file():
        files = tuple(sorted(p for p in package.parent.rglob("*.py") if "__pycache__" not in p.parts))
        entry, search = package, [str(package.parent)]
    elif single.is_file():
        files, entry, search = (single,), single, None
    else:
        return None
    module = _SITE_MODULE_PREFIX + name
    origin = entry.relative_to(site_dir).as_posix()
    return PluginSource(name, origin, files, "", lambda: _exec_file(module, entry, search), module, site_dir)


def _exec_file(module_name: str, path: Path, search: list[str] | None) -> Any:
    """Import a site plugin from its file, as a fresh module (replacing one imported before)."""
    for loaded in [m for m in sys.modules if m == module_name or m.startswith(module_name + ".")]:
        del sys.modules[loaded]  # a package's submodules too: they may have changed with it
    spec = importlib.util.spec_from_file_location(module_name, path, submodule_search_locations=search)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and relative imports look the module up there
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _entry_point(name: str) -> PluginSource | None:
    import importlib.metadata  # only when a plugin is named by entry point (14 ms of every build's start)

    found = list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP, name=name))
    if not found:
        return None
    point = found[0]
    dist = point.dist
    version = f"{dist.name} {dist.version}" if dist is not None else ""
    return PluginSource(
        name, f"entry point {name} = {point.value}", _module_files(point.module), version, point.load,
        point.module,
    )  # fmt: skip


def _example(name: str) -> PluginSource | None:
    if not name.isidentifier():
        return None
    module = f"{EXAMPLES_PACKAGE}.{name}"
    if importlib.util.find_spec(module) is None:
        return None
    return PluginSource(
        name, f"site_builder example {name}", _module_files(module), f"site_builder {__version__}",
        lambda: importlib.import_module(module), module,
    )  # fmt: skip


def _module_files(module: str) -> tuple[Path, ...]:
    """The source files of an importable module (every .py file of a package), without running it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.origin or not spec.has_location:
        return ()
    origin = Path(spec.origin)
    if spec.submodule_search_locations:
        return tuple(sorted(p for p in origin.parent.rglob("*.py") if "__pycache__" not in p.parts))
    return (origin,)


def _load(source: PluginSource, reload: bool) -> Any:
    """Run the plugin's module; any failure is a SiteError naming the plugin and the line."""
    try:
        if reload and source.module in sys.modules and not source.module.startswith(_SITE_MODULE_PREFIX):
            importlib.reload(sys.modules[source.module])  # an installed plugin edited in place
        return source.load()
    except SyntaxError as error:
        message = f"plugin '{source.name}' cannot be imported: {error.msg}"
        where = source.shown(error.filename) if error.filename else source.origin
        raise SiteError(message, where, error.lineno) from error
    except Exception as error:  # noqa: BLE001 - whatever the plugin's import raised, located
        path, line = failing_line(error, source)
        raise SiteError(
            f"plugin '{source.name}' cannot be imported: {type(error).__name__}: {error}",
            path or source.origin,
            line,
        ) from error


def failing_line(error: BaseException, source: PluginSource) -> tuple[str | None, int | None]:
    """The last line of the plugin's own code in *error*'s traceback (file as shown, line), or
    (None, None)."""
    mine = {str(path) for path in source.files}
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename in mine:
            return source.shown(frame.filename), frame.lineno
    return None, None
