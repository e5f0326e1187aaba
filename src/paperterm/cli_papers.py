"""The commands over papers: ``list``, ``related``, ``show`` and ``export`` read them;
``star``/``unstar``/``read``/``unread``, ``tag`` and ``note`` change a user's state of them."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.cli_common import EXIT_OK, _err, _open_store, _out, _query_entries
from paperterm.errors import PapertermError
from paperterm.model import Entry
from paperterm.sorting import paper_sort_key
from paperterm.text import clean_tex, plural, sanitize

if TYPE_CHECKING:
    from paperterm.store import Store


def cmd_list(args: argparse.Namespace) -> int:
    """Print matching papers, one per line (or JSON lines); ``@name`` runs a saved search."""
    from paperterm.listing import entry_json_line, entry_text_line
    from paperterm.saved import expand

    text = " ".join(args.query)
    with _open_store(args, lazy=True) as store:
        # --limit 0 looks at every match: "no paper matches" must stay true; a sort other
        # than the search's own order needs every match before it can cut
        early = args.limit or None if args.sort in (None, "relevance") else None
        entries = _query_entries(store, expand(store, text), early)
        if args.sort == "for-you":
            entries = _for_you(store, entries)
    if not entries:
        # said on stderr: a script reading stdout still sees an empty, successful list
        _err(f"list: no paper matches {text.strip()!r}" if text.strip() else "list: no papers")
        return EXIT_OK
    key = paper_sort_key(args.sort or "relevance")
    if key is not None:
        entries.sort(key=lambda entry: key(entry.paper))
    if args.limit is not None:
        entries = entries[: args.limit]
    render = entry_json_line if args.json else entry_text_line
    for entry in entries:
        _out(render(entry))
    return EXIT_OK


def _for_you(store: Store, entries: list[Entry]) -> list[Entry]:
    """The entries by resemblance to the user's stars and tags; with too few, as they are,
    saying so on stderr."""
    from paperterm.recommend import Recommender

    recommender = Recommender(store.data_dir)
    why_not = recommender.train(store.states(), store.papers())
    if why_not is not None:
        _err(why_not)
        return entries
    by_id = {entry.id: entry for entry in entries}
    order = recommender.for_you([entry.paper for entry in entries]) or []
    return [by_id[pid] for pid in order]


def cmd_related(args: argparse.Namespace) -> int:
    """Print the papers most similar to one, with the reason (shared terms, authors)."""
    from paperterm.listing import entry_json_line, entry_text_line, related_fields
    from paperterm.recommend import Recommender

    with _open_store(args) as store:
        paper = store.get(store.resolve(args.id))
        found = Recommender(store.data_dir).related(paper, store.papers(), max(args.limit, 0))
        entries = [(Entry(hit.paper, store.state(hit.paper.id)), hit) for hit in found]
    for entry, hit in entries:
        if args.json:
            _out(entry_json_line(entry, related_fields(hit.score, hit.reason)))
        else:
            _out(entry_text_line(entry))
            _out(f"    {hit.score:.2f}  {hit.reason}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    """Print one paper with every field, abstract cleaned of TeX."""
    from paperterm.listing import entry_text_line
    from paperterm.paper_info import paper_links

    with _open_store(args, lazy=True) as store:
        pid = store.resolve(args.id)
        entry = Entry(store.get(pid), store.state(pid))
    meta = entry.paper.meta
    _out(entry_text_line(entry))
    _out("dates: " + ", ".join(d.isoformat() for d in entry.paper.dates))
    if meta.authors:
        _out("authors: " + ", ".join(sanitize(a, single_line=True) for a in meta.authors))
    if meta.upvotes is not None:
        _out(f"upvotes: {meta.upvotes}")
    if meta.published is not None:
        _out(f"published: {meta.published.isoformat()}")
    if meta.github_stars is not None and meta.github_repo:
        _out(f"GitHub stars: {meta.github_stars}")
    if meta.ai_keywords:
        _out("keywords: " + ", ".join(sanitize(k, single_line=True) for k in meta.ai_keywords))
    for number, link in enumerate(paper_links(entry.paper), 1):
        _out(f"[{number}] {link.kind}: {sanitize(link.url, single_line=True)}")
    if entry.state.note:
        _out("note: " + sanitize(entry.state.note))
    _out("")
    _out(sanitize(clean_tex(entry.paper.abstract)))
    if meta.ai_summary:
        _out("")
        _out("AI summary: " + sanitize(clean_tex(meta.ai_summary)))
    return EXIT_OK


def cmd_mark(args: argparse.Namespace) -> int:
    """star / unstar / read / unread."""
    with _open_store(args, lazy=True) as store:
        # distinct papers: an id given twice, or as a prefix and in full, is one paper
        ids = list(dict.fromkeys(store.resolve(text) for text in args.ids))
        if args.command in ("star", "unstar"):
            store.set_starred(ids, args.command == "star")
        else:
            store.set_read(ids, args.command == "read")
    _out(f"{args.command}: {plural(len(ids), 'paper')}")
    return EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    """Paper ids, then tag words as in the reader (NAME, +NAME, -NAME), and --remove tags."""
    from paperterm.tagging import split_tag_arguments

    with _open_store(args, lazy=True) as store:
        ids, change = split_tag_arguments(args.items, store.resolve, store.all_tags())
        remove = [*change.remove, *args.remove]
        if not change.add and not remove:
            raise PapertermError(
                "tag: name a tag to add (NAME or +NAME) or to remove (-NAME or --remove NAME)"
            )
        if change.add:
            store.add_tags(ids, change.add)
        if remove:
            store.remove_tags(ids, remove)
        for pid in ids:
            tags = " ".join("#" + t for t in store.state(pid).tags) or "(no tags)"
            _out(f"{pid}: {tags}")
    return EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    """Set or clear a note."""
    with _open_store(args, lazy=True) as store:
        pid = store.resolve(args.id)
        store.set_note(pid, args.text)
    _out(f"{pid}: note {'saved' if args.text.strip() else 'cleared'}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the matching papers in ``--format`` to stdout or a file (atomically, see
    exportfile), or, for ``obsidian``, as one note per paper into the ``--output`` folder.

    Nothing matching is an error (exit 1) and nothing is written: an earlier reading list
    is not replaced by an empty one, and ``export -o f && send f`` does not send it.
    """
    from paperterm.exportfile import require_papers, write_export
    from paperterm.exports import export_format, render

    fmt = export_format(args.format)
    if fmt.folder and (not args.output or args.output == "-"):
        raise PapertermError(f"export --format {fmt.name}: name the notes' folder with -o DIR")
    text = " ".join(args.query).strip() or "is:starred"
    with _open_store(args, lazy=True) as store:
        entries = _query_entries(store, text)
    require_papers(entries, text)
    count = plural(len(entries), "paper")
    if fmt.folder:
        from paperterm.exports.obsidian import export_obsidian

        result = export_obsidian(entries, Path(args.output))
        sys.stderr.write(
            f"exported {count} to {sanitize(str(result.folder))}: "
            f"{len(result.created)} new, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged\n"
        )
        return EXIT_OK
    output = render(fmt.name, entries, query=text, today=dt.date.today(), full=args.full)
    if args.output and args.output != "-":
        path = write_export(Path(args.output), output)
        sys.stderr.write(f"exported {count} to {sanitize(str(path))}\n")
    else:
        sys.stdout.write(output)
    return EXIT_OK
