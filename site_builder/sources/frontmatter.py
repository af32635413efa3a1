"""Front matter: the metadata block at the top of a content file.

Three dialects users bring from peers give the same fields: YAML between ``---`` lines (the default,
Jekyll/Hugo), TOML between ``+++`` lines (Hugo) and Pelican-style ``Key: value`` header lines ending at
the first blank line. Line numbers are kept so errors can point at the field.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from site_builder.errors import SiteError

try:  # the C loader is several times faster on large archives
    _BaseLoader = yaml.CSafeLoader
    _BaseDumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


@dataclass(frozen=True)
class Document:
    """A content file split into metadata and Markdown body."""

    meta: dict[str, Any]
    body: str
    body_line: int = 1
    meta_lines: dict[str, int] = field(default_factory=dict)


_PELICAN_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$")
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]")
_LIST_HEADERS = {"tags", "authors", "people", "aliases", "category"}


def parse_document(text: str, path: str) -> Document:
    """Split *text* (a content file) into a :class:`Document`; *path* is used in errors."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0].rstrip()
    if first == "---":
        return _parse_fenced(text, "---", _load_yaml, path)
    if first == "+++":
        return _parse_fenced(text, "+++", _load_toml, path)
    if _PELICAN_HEADER.match(first):
        return _parse_pelican(text, path)
    return Document(meta={}, body=text, body_line=1)


def _parse_fenced(text: str, fence: str, loader, path: str) -> Document:
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == fence:
            block = "".join(line + "\n" for line in lines[1:index])  # each line ended before the fence
            meta = loader(block, path)
            body, first = _body(lines, index + 1)
            return Document(meta, body, first, _key_lines(lines[1:index], offset=2))
    raise SiteError(f"front matter opened with '{fence}' on line 1 is never closed", path, 1)


def _body(lines: list[str], start: int) -> tuple[str, int]:
    """The body from 0-based line *start* without its leading blank lines, and its 1-based first line."""
    while start < len(lines) - 1 and not lines[start]:
        start += 1
    return "\n".join(lines[start:]), start + 1


def _key_lines(lines: list[str], offset: int) -> dict[str, int]:
    """Map each top-level key to its line number in the file, for error messages."""
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=offset):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            found.setdefault(match.group(1).lower(), number)
    return found


class _UniqueKeyLoader(_BaseLoader):
    """Safe YAML loading that refuses duplicate keys and aliases instead of guessing.

    Aliases (``&a`` / ``*a``) are refused outright: front matter has no use for them, and a few lines
    of nested aliases ("billion laughs") expand to billions of values in anything that walks the data
    (fingerprints, caches, JSON in templates).
    """

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        _refuse_aliases(node)
        return self.construct_document(node)


def _refuse_aliases(root: yaml.Node) -> None:
    """Raise at the first node reachable twice (an alias, or a cycle), in document order.

    An alias is the anchored node itself, so its own mark is the anchor's: the error points at the
    key (or sequence) that uses it instead. Iterative, so deep nesting cannot exhaust the stack.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Mark]] = [(root, root.start_mark)]
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in front matter", where
            )
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, node.start_mark) for item in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend(((value, key.start_mark), (key, key.start_mark)))


def _construct_mapping(loader, node, deep=False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text, not a list or mapping", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text here and are validated by the reader, so "2017-02-30" is a located field error.
_UniqueKeyLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _construct_int(loader, node):
    """Integers, with the position of one too long to convert (Python refuses over 4,300 digits)."""
    try:
        return loader.construct_yaml_int(node)
    except ValueError as error:
        raise yaml.constructor.ConstructorError(None, None, _short(error), node.start_mark) from None


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _load_yaml(block: str, path: str) -> dict[str, Any]:
    try:
        data = yaml.load(block, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except (ValueError, RecursionError) as error:  # e.g. an integer of 5,000 digits
        raise SiteError(f"invalid YAML front matter: {_short(error)}", path, 2) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        # +2: the opening fence is line 1; a mark past the block's end points at its last line
        line = min(mark.line, max(block.count("\n") - 1, 0)) + 2 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).split("\n")[0]
        hint = _quoting_hint(block, mark.line) if mark is not None and "mapping values" in problem else ""
        raise SiteError(f"invalid YAML front matter: {problem}{hint}", path, line) from None
    return _as_mapping(data, path)


def _quoting_hint(block: str, index: int) -> str:
    """What to do about a value holding ``: `` (a headline such as ``Brexit: what next``), which YAML reads
    as a second key: quote it. Shown with the line as it should be written."""
    lines = block.split("\n")
    if index >= len(lines) or ": " not in lines[index]:
        return ""
    key, value = lines[index].split(": ", 1)
    value = value.strip()
    if not key.strip() or value[:1] in {"'", '"'}:
        return ""
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f" (a value containing ': ' must be quoted; write {key.strip()}: {quoted})"


_TOML_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def _load_toml(block: str, path: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as error:
        # tomllib counts lines from the block; say where in the file instead
        match = _TOML_LINE.search(str(error))
        line = int(match.group(1)) + 1 if match else block.count("\n") + 2  # else: at the end
        where = f" (column {match.group(2)})" if match else ""
        message = _TOML_LINE.sub("", str(error)).replace(" (at end of document)", "")
        raise SiteError(f"invalid TOML front matter: {message}{where}", path, line) from None
    except (ValueError, RecursionError) as error:  # an integer of 5,000 digits, arrays nested 5,000 deep
        raise SiteError(f"invalid TOML front matter: {_short(error)}", path, 2) from None
    return _as_mapping(data, path)


def _short(error: Exception) -> str:
    """The first sentence of a library error, enough to recognise the problem."""
    if isinstance(error, RecursionError):
        return "values nested too deeply"
    return str(error).split(";")[0].split("\n")[0]


def _as_mapping(data: Any, path: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SiteError("front matter must be a mapping of 'key: value' fields", path, 2)
    return {str(key).lower(): value for key, value in data.items()}


def _parse_pelican(text: str, path: str) -> Document:
    lines = text.split("\n")
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    index = 0
    while index < len(lines) and lines[index].strip():
        match = _PELICAN_HEADER.match(lines[index])
        if not match:
            break
        key, value = match.group(1).lower(), match.group(2).strip()
        if key in meta:
            raise SiteError(f"duplicate header '{match.group(1)}'", path, index + 1, key)
        meta[key] = _split_list(value) if key in _LIST_HEADERS else value
        meta_lines[key] = index + 1
        index += 1
    body, first = _body(lines, index)
    return Document(meta, body, first, meta_lines)


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class _Dumper(_BaseDumper):
    """YAML writer with readable multi-line strings; output bytes depend only on the input."""


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_datetime(dumper, value: dt.datetime):
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_list(dumper, value: list):
    # Offsets such as mentions: [[12, 18], [40, 46]] read better on one line.
    flat = bool(value) and all(
        isinstance(item, int) or (isinstance(item, list) and all(isinstance(x, int) for x in item))
        for item in value
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat or None)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dt.datetime, _represent_datetime)


def dump_document(meta: dict[str, Any], body: str) -> str:
    """Serialise *meta* as YAML front matter followed by *body*, deterministically."""
    block = yaml.dump(
        meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"---\n{block}---\n\n{body.strip(chr(10))}\n"
