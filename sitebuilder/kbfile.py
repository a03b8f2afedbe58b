"""Read the knowledge base YAML with line numbers, validate it, and build the engine's model.

The one module that reads the KB's YAML: the build hooks and the builder's CLI call it; the engine never
imports it. The checks themselves are the engine's (checklist.kbcheck), so a KB given as JSON meets the
same rules; this module adds what only YAML needs (anchors, nesting, duplicate keys) and the line numbers.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path as FsPath
from typing import Any, ClassVar

import yaml

from checklist import bounded
from checklist.kbproblems import DataPath, KnowledgeBaseError, Problem, dotted
from checklist.kbschema import SCHEMA_NAME as SCHEMA_NAME  # the builder publishes it
from checklist.kbschema import schema as schema
from checklist.knowledge import KB_FILENAME, KnowledgeBase

# libyaml's parser where PyYAML has it (several times faster); it keeps line marks just the same.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Dates stay text: a date in the KB (a service's status) is shown as written, and JSON has none."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


class _Lines:
    """Maps a data path to the 1-based line where its value (or, for a key, the key) starts."""

    def __init__(self) -> None:
        self.value: dict[DataPath, int] = {}
        self.key: dict[DataPath, int] = {}

    def of(self, path: DataPath) -> int:
        """Line of the key (or list item) at ``path``, or of the nearest parent that exists."""
        for end in range(len(path), -1, -1):
            here = path[:end]
            if here in self.key:
                return self.key[here]
            if here in self.value:
                return self.value[here]
        return 1


def _index(node: yaml.Node, path: DataPath, lines: _Lines, problems: list[Problem]) -> None:
    lines.value[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*path, key)
            if key in seen:
                problems.append(
                    Problem(
                        key_node.start_mark.line + 1, 0, dotted(child), "duplicate key; the later one wins"
                    )
                )
            seen.add(key)
            lines.key[child] = key_node.start_mark.line + 1
            _index(value_node, child, lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(item, (*path, index), lines, problems)


def validate(data: Any, lines: _Lines) -> list[Problem]:
    """The engine's checks (schema, then cross-references), each placed on its line in the YAML."""
    # Imported here: a build of a known-valid KB does without the checker and its imports (40 ms).
    from checklist.kbcheck import check

    return [Problem(lines.of(path), 0, dotted(path), message) for path, message in check(data)]


def _refuse_hostile(text: str, filename: str) -> None:
    """Refuse, before anything is built, what would cost without bound: anchors and aliases (nine levels
    of ten aliases expand to a billion nodes; a KB needs none) and nesting past MAX_DEPTH (libyaml's
    composer recurses and, 100,000 levels deep, crashes the process). The event scan is iterative and
    takes about 20 ms on this project's KB. The limit and the surrogate finder are the JSON boundary's."""
    if (at := bounded.lone_surrogate_at(text)) >= 0:  # text no file on disk can hold
        line = text.count("\n", 0, at) + 1
        raise KnowledgeBaseError(
            filename, [Problem(line, 0, "yaml", "not valid text (a lone surrogate)")]
        ) from None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            line, column = (
                (event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else (1, 0)
            )
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                message = "anchors and aliases (&name, *name) are not allowed in the knowledge base"
                raise KnowledgeBaseError(filename, [Problem(line, column, "yaml", message)])
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > bounded.MAX_DEPTH:
                    message = f"nested more than {bounded.MAX_DEPTH} levels deep"
                    raise KnowledgeBaseError(filename, [Problem(line, column, "yaml", message)])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error: composing reports it, with its place


def load_text(text: str, filename: str) -> KnowledgeBase:
    """Parse and validate KB text; raise :class:`KnowledgeBaseError` listing every problem.

    The verdict on the few texts seen last is kept: a build, a served rebuild or a command that loads
    the same KB again gets the same (immutable) model, or the same problems in a fresh error, without
    parsing and checking 7,000 lines anew (0.4 s with three lenses)."""
    verdict = _verdict(text, filename)
    if isinstance(verdict, KnowledgeBaseError):
        raise KnowledgeBaseError(verdict.filename, verdict.located)
    return verdict


@lru_cache(maxsize=4)
def _verdict(text: str, filename: str) -> KnowledgeBase | KnowledgeBaseError:
    try:
        return _load_text(text, filename)
    except KnowledgeBaseError as error:
        return error


def _load_text(text: str, filename: str) -> KnowledgeBase:
    _refuse_hostile(text, filename)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()  # one parse gives both the nodes (for lines) and the data
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 0)
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise KnowledgeBaseError(filename, [Problem(line, column, "yaml", message)]) from None
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(filename, [Problem(1, 0, "yaml", str(error))]) from None
    finally:
        loader.dispose()
    lines = _Lines()
    problems: list[Problem] = []
    if node is not None:
        _index(node, (), lines, problems)
    if not isinstance(data, dict):
        problems.append(Problem(1, 0, "(top level)", "the file must hold a mapping of sections"))
    else:
        problems.extend(validate(data, lines))
    if problems or not isinstance(data, dict):
        raise KnowledgeBaseError(filename, problems)
    return KnowledgeBase.from_dict(data)


def load(path: str | FsPath, display_name: str | None = None) -> KnowledgeBase:
    """Read the KB file at ``path``; errors name it as ``display_name`` (default: the path given)."""
    path = FsPath(path)
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeBaseError(name, [Problem(1, 0, "file", f"cannot read: {error}")]) from None
    return load_text(text, name)


FILENAME = KB_FILENAME


def location(docs_dir: str | FsPath) -> FsPath:
    """Where the site's KB lives: the one place the build, the macros and the tests find it."""
    return FsPath(docs_dir) / FILENAME


_cache: dict[str, KnowledgeBase] = {}


def _code_files() -> list[tuple[FsPath, FsPath]]:
    """Each (package folder, file) of the builder's and the engine's code."""
    roots = [FsPath(str(files(package))) for package in ("sitebuilder", "checklist")]
    return [(root, p) for root in roots for p in sorted(root.rglob("*")) if p.suffix in (".py", ".json")]


_code_digests: dict[tuple[tuple[str, int, int], ...], bytes] = {}


def _checking_code() -> bytes:
    """Everything that decides whether a KB text is valid: the builder's and the engine's own files.

    Kept per process by the files' sizes and times: ``mkdocs serve`` asks at every rebuild, and hashing
    the files anew each time would take 20 ms."""
    paths = _code_files()
    stamp = tuple((str(p), (s := p.stat()).st_mtime_ns, s.st_size) for _, p in paths)
    if stamp not in _code_digests:
        digest = hashlib.sha256()
        for root, path in paths:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        _code_digests.clear()
        _code_digests[stamp] = digest.digest()
    return _code_digests[stamp]


def load_cached(
    path: str | FsPath, display_name: str | None = None, known_valid: FsPath | None = None
) -> KnowledgeBase:
    """Like :func:`load`, but a text seen before (by its content) is not parsed and checked again.

    ``mkdocs serve`` rebuilds often and macros ask for the KB on every page: they share one model per KB
    text. With ``known_valid`` (a directory), a text that passed every check under the same checking code
    is remembered across processes too: its model is stored there (pickled, 5 ms to read back where the
    YAML takes 200 ms to parse), so repeated builds skip the parser and the validator altogether.
    """
    path = FsPath(path)
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return load(path, name)  # reports the problem the usual way
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if key in _cache:
        return _cache[key]
    content = hashlib.sha256(key.encode() + _checking_code()).hexdigest()
    marker = None if known_valid is None else known_valid / content
    kb = _stored(marker) if marker is not None else None
    if kb is None:
        kb = load_text(text, name)
        if marker is not None:
            _store(marker, kb)
    _cache.clear()  # one KB at a time: the serve loop's previous text is of no more use
    _cache[key] = kb
    _content_keys.clear()
    _content_keys[id(kb)] = content
    return kb


_content_keys: dict[int, str] = {}


def content_key(kb: KnowledgeBase) -> str | None:
    """For the model :func:`load_cached` returned last: a name for its KB text checked by this code, under
    which the build may keep what it derives from it (sitebuilder.derived). None for any other model."""
    return _content_keys.get(id(kb))  # only the cached model's: alive, so its id is its own


def _stored(marker: FsPath) -> KnowledgeBase | None:
    """The model stored for a text that passed every check, or None (never checked, or unreadable: an
    older build left an empty marker, another build is writing it)."""
    try:
        kb = pickle.loads(marker.read_bytes())
    except Exception:  # any damage means: check the text again
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _store(marker: FsPath, kb: KnowledgeBase) -> None:
    """Keep ``kb`` as the one known-valid model (written whole, then renamed: builds run side by side)."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        for old in marker.parent.iterdir():
            old.unlink(missing_ok=True)  # another build may have removed it
        with tempfile.NamedTemporaryFile(dir=marker.parent, prefix=".", delete=False) as scratch:
            scratch.write(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(scratch.name, marker)
    except OSError:
        pass  # a cache only: the next build checks the text again
