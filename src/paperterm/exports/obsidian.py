"""Obsidian (or any Markdown vault): one note per paper in a folder (made if missing; its
parent must exist).

A note, ``VerlTool - Towards Holistic Agentic Reinforcement Learning with Tool Use.md``::

    ---
    title: 'VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use'
    authors:
    - Dongfu Jiang
    arxiv: '2509.01055'
    url: https://arxiv.org/abs/2509.01055
    code: https://github.com/TIGER-AI-Lab/verl-tool
    tags:
    - rl
    starred: true
    read: false
    dates:
    - 2025-09-09
    published: 2025-09-01
    paperterm: k3q9zfa
    ---
    # VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use

    Reinforcement learning with verifiable rewards ...

    ## Note

    Compare with ReTool before Friday.

    <!-- paperterm: text above this line is rewritten by each export; yours goes below -->

The front matter is YAML written by PyYAML's safe emitter: it quotes whatever YAML would
otherwise read as syntax or as another type (a title with ``: -``, a leading ``#`` or
``[``, an id like ``2509.01055`` that would be a number, ``yes``), so every value reads
back as the string, list, boolean or date it is. ``dates`` and ``published`` are YAML
dates, ``tags`` a list of valid Obsidian tags (letters, digits, ``_``, ``-``, ``/``).
Unknown ``arxiv``, ``url``, ``code`` and ``published`` are ``null``. The body is Markdown,
escaped like the Markdown reading list (``paperterm.export.markdown_escape``).

Exporting again rewrites paperterm's properties and the text above the marker line, and
keeps everything below the marker as it is, and the properties you added yourself (any
other front-matter key); a note that exists without the marker keeps all of its body, below
a new marker. A note whose content would not change is not rewritten.

File names are the title made safe on Windows, macOS and Linux and inside Obsidian links:
no ``< > : " / \\ | ? * # ^ [ ]``, no control characters, no leading dot, no trailing dot
or space, no reserved Windows device name (``CON``, ``NUL``, ``COM1``...), at most 120
UTF-8 bytes, NFC. Papers whose names would clash (ignoring case, as Windows and macOS do)
get their paper id added, in paper-id order so that a name does not depend on the order of
the export. A note an earlier export wrote is found again by its ``paperterm`` property (the
paper id), whatever its name now: renaming a note in the vault, or a changed title, does
not make a second note.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from paperterm.errors import PapertermError
from paperterm.export import markdown_escape
from paperterm.exportfile import write_export
from paperterm.exports.common import (
    arxiv_id_of,
    clean_line,
    clean_text,
    code_url,
    paper_title,
    paper_url,
    tags_of,
)
from paperterm.model import Entry

__all__ = [
    "MARKER",
    "ObsidianResult",
    "export_obsidian",
    "front_matter",
    "note_file_names",
    "notes_by_paper",
    "render_note",
    "safe_file_name",
]

MARKER = "<!-- paperterm: text above this line is rewritten by each export; yours goes below -->"
"""The line below which a note's text is the user's own and survives a re-export."""

NAME_BYTES = 120
_UNSAFE_NAME = re.compile(r'\s*(?:[<>:"/\\|?*#^\[\]\x00-\x1f\x7f]\s*)+')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$", re.IGNORECASE)
_BAD_TAG_CHARS = re.compile(r"[^\w/-]+")


@dataclass(frozen=True, slots=True)
class ObsidianResult:
    """What an Obsidian export did: the notes it created, updated and left unchanged."""

    folder: Path
    created: tuple[Path, ...]
    updated: tuple[Path, ...]
    unchanged: tuple[Path, ...]

    @property
    def count(self) -> int:
        """How many notes the export covered."""
        return len(self.created) + len(self.updated) + len(self.unchanged)


def safe_file_name(title: str, fallback: str) -> str:
    """``title`` as a file name stem every OS and Obsidian accept (see the module docstring);
    ``fallback`` when nothing of it is left.

    >>> safe_file_name("VerlTool: Agentic RL? <yes>", "x")
    'VerlTool - Agentic RL - yes'
    >>> safe_file_name("...", "k3q9zfa"), safe_file_name("CON", "x"), safe_file_name("a/b.", "x")
    ('k3q9zfa', 'CON_', 'a - b')
    """
    text = unicodedata.normalize("NFC", clean_line(title))
    text = _UNSAFE_NAME.sub(" - ", text)
    text = " ".join(text.split()).strip(" -")
    while len(text.encode("utf-8")) > NAME_BYTES:
        text = text[:-1]
    text = text.strip().lstrip(".").rstrip(" .").strip(" -")
    if not text:
        text = clean_line(fallback) or "paper"
        text = _UNSAFE_NAME.sub("-", text).lstrip(".")[:NAME_BYTES] or "paper"
    if _RESERVED.match(text):
        text += "_"
    return text


def note_file_names(entries: Sequence[Entry]) -> list[str]:
    """Each entry's note file name (``STEM.md``), unique ignoring case."""
    stems = [safe_file_name(paper_title(entry.paper), entry.paper.id) for entry in entries]
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for index, stem in enumerate(stems):
        groups[stem.casefold()].append(index)
    names = [f"{stem}.md" for stem in stems]
    taken = {name.casefold() for name in names}
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        for index in sorted(indexes, key=lambda i: (entries[i].paper.id, i))[1:]:
            suffix = f" ({safe_file_name(entries[index].paper.id, 'paper')})"
            stem = stems[index]
            while len((stem + suffix).encode("utf-8")) > NAME_BYTES:
                stem = stem[:-1]
            name = f"{stem.rstrip(' .')}{suffix}.md"
            number = 2
            while name.casefold() in taken:
                name = f"{stem.rstrip(' .')}{suffix[:-1]}-{number}).md"
                number += 1
            taken.add(name.casefold())
            names[index] = name
    return names


def _obsidian_tag(tag: str) -> str:
    """A tag as Obsidian accepts it: letters, digits, ``_``, ``-``, ``/``, not all digits."""
    cleaned = _BAD_TAG_CHARS.sub("-", tag).strip("-/")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    if cleaned.isdigit():
        cleaned = "tag-" + cleaned
    return cleaned


def front_matter(entry: Entry) -> dict[str, Any]:
    """The note's YAML properties, in the order they are written."""
    paper, state = entry.paper, entry.state
    tags: list[str] = []
    for tag in tags_of(entry):
        shown = _obsidian_tag(tag)
        if shown and shown not in tags:
            tags.append(shown)
    return {
        "title": paper_title(paper),
        "authors": [name for raw in paper.meta.authors if (name := clean_line(raw))],
        "arxiv": arxiv_id_of(paper),
        "url": paper_url(paper),
        "code": code_url(paper),
        "tags": tags,
        "starred": state.starred,
        "read": state.read,
        "dates": sorted(set(paper.dates)),
        "published": paper.meta.published,
        "paperterm": clean_line(paper.id),
    }


_OUR_KEYS = frozenset(
    ("title", "authors", "arxiv", "url", "code", "tags", "starred", "read", "dates",
     "published", "paperterm")
)  # fmt: skip


def _yaml(data: dict[str, Any]) -> str:
    dumped: str = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )
    return dumped


def _paragraphs(text: str) -> list[str]:
    return [markdown_escape(p) for p in clean_text(text).split("\n\n") if p]


def render_note(
    entry: Entry, user_text: str = "", extra: Mapping[str, Any] | None = None
) -> str:
    """The whole note for ``entry``, with ``user_text`` (what was below the marker) and the
    user's own ``extra`` properties (front-matter keys paperterm does not write) kept."""
    properties = front_matter(entry)
    for key, value in (extra or {}).items():
        properties.setdefault(key, value)
    lines = ["---", _yaml(properties).rstrip("\n"), "---"]
    lines.append("# " + markdown_escape(paper_title(entry.paper), line_start=False))
    for paragraph in _paragraphs(entry.paper.abstract):
        lines += ["", paragraph]
    note = _paragraphs(entry.state.note)
    if note:
        lines += ["", "## Note"]
        for paragraph in note:
            lines += ["", paragraph]
    lines += ["", MARKER]
    head = "\n".join(lines) + "\n"
    return head + user_text if user_text else head + "\n"


def user_parts(existing: str) -> tuple[dict[str, Any], str]:
    """What of an existing note is the user's: the front-matter keys paperterm does not
    write, and the text after the marker line (with no marker: the whole body after the
    front matter). Front matter that is not a YAML mapping is kept as text, before the
    body, so that nothing of it is lost."""
    text = existing.replace("\r\n", "\n")
    head, body = "", text
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end >= 0:
            head, body = text[4:end], text[end + 5 :]
        elif text.endswith("\n---"):
            head, body = text[4:-4], ""
    extra: dict[str, Any] = {}
    if head:
        try:
            loaded = yaml.safe_load(head)
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            ours = _OUR_KEYS
            extra = {str(k): v for k, v in loaded.items() if str(k) not in ours}
        else:
            body = f"---\n{head}\n---\n{body}"
    marker_at = body.find(MARKER + "\n")
    if marker_at >= 0 and (marker_at == 0 or body[marker_at - 1] == "\n"):
        return extra, body[marker_at + len(MARKER) + 1 :]
    if body.endswith("\n" + MARKER):
        return extra, "\n"
    return extra, ("\n" + body.lstrip("\n")) if body.strip() else ""


_PAPER_KEY = re.compile(r"^paperterm: ['\"]?([^'\"\s]+)['\"]?[ \t]*$", re.MULTILINE)


def notes_by_paper(folder: Path) -> dict[str, Path]:
    """The notes of ``folder`` that an earlier export wrote, by the paper id in their
    ``paperterm`` property: a paper's note is found again even when its title (and so the
    name it would get) changed, or when the user renamed the file."""
    found: dict[str, Path] = {}
    try:
        paths = sorted(folder.glob("*.md"))
    except OSError:
        return found
    for path in paths:
        try:
            with path.open("rb") as handle:
                head = handle.read(8192).decode("utf-8", "replace")
        except OSError:
            continue
        if not head.startswith("---\n"):
            continue
        end = head.find("\n---\n", 3)
        match = _PAPER_KEY.search(head, 0, end if end >= 0 else len(head))
        if match:
            found.setdefault(match.group(1), path)
    return found


def export_obsidian(entries: Sequence[Entry], folder: Path) -> ObsidianResult:
    """Write one note per entry into ``folder`` (made if missing), keeping what users wrote
    below the marker of notes already there. Raises ``PapertermError`` naming the file when
    a note cannot be read or written."""
    created: list[Path] = []
    updated: list[Path] = []
    unchanged: list[Path] = []
    try:
        folder.mkdir(exist_ok=True)  # the folder, not its parents: a mistyped path fails
    except OSError as error:
        reason = error.strerror or error
        raise PapertermError(f"{folder}: cannot make the folder: {reason}") from None
    owners = notes_by_paper(folder)
    owned = {path.name.casefold(): pid for pid, path in owners.items()}
    for entry, name in zip(entries, note_file_names(entries), strict=True):
        pid = clean_line(entry.paper.id)
        path = owners.get(pid) or folder / name
        other = owned.get(path.name.casefold())
        if other is not None and other != pid:
            # the name is another paper's note (its title changed, or an earlier export
            # named them apart): this paper gets its id in its name instead
            path = folder / f"{Path(name).stem} ({safe_file_name(pid, 'paper')}).md"
        try:
            existing = path.read_text(encoding="utf-8") if path.exists() else None
        except (OSError, UnicodeDecodeError) as error:
            why = getattr(error, "strerror", None) or error
            raise PapertermError(f"{path}: cannot read the existing note: {why}") from None
        extra, mine = user_parts(existing) if existing is not None else ({}, "")
        text = render_note(entry, mine, extra)
        if existing == text:
            unchanged.append(path)
            continue
        write_export(path, text)  # atomic; a new note gets the umask, an old one its mode
        (created if existing is None else updated).append(path)
    return ObsidianResult(folder, tuple(created), tuple(updated), tuple(unchanged))

