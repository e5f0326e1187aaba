"""The ``paperterm`` command: each command's work, done by the domain layer (the grammar of
the command line is ``paperterm.cli_parser``).

Kept thin and quick to start: the store, the search index and Textual are imported only by
the commands that need them. Expected failures print one line to stderr and exit 1; usage
errors exit 2 (``paperterm.cli_parser``), as the README's table of exit codes says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.cli_parser import build_parser, parse_args
from paperterm.errors import PapertermError
from paperterm.heap import no_gc
from paperterm.paths import resolve_data_dir, resolve_user
from paperterm.text import plural

if TYPE_CHECKING:
    from paperterm.model import Digest, Entry
    from paperterm.store import ImportRecord, Store

EXIT_OK = 0
EXIT_FAILED = 1


def _open_store(args: argparse.Namespace, *, eager: bool = True) -> Store:
    from paperterm.store import Store

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    store = Store.open(data_dir, resolve_user(getattr(args, "user", None)), eager=eager)
    if store.upgraded_from is not None:
        from paperterm.store import SCHEMA_VERSION

        _err(f"{data_dir}: upgraded the store from schema version {store.upgraded_from} to "
             f"{SCHEMA_VERSION} (every paper, mark and preference kept)")  # fmt: skip
    return store


def _query_entries(store: Store, text: str, limit: int | None = None) -> list[Entry]:
    """Entries matching ``text`` (the first ``limit`` of them): by relevance with free
    words, else newest digest first. ``store`` may be partly loaded (``eager=False``): a
    word search answered by the index's cache file needs none of the papers but those shown."""
    from itertools import islice

    from paperterm.index_cache import index_path, open_index, search_cached
    from paperterm.query import AuthorTerm, HasTerm, IsTerm, TagTerm, parse_query
    from paperterm.store import paper_stamps

    query = parse_query(text)
    # author: is fuzzy: the index matches each distinct name once, not once per paper
    if query.has_free_words or any(isinstance(term, AuthorTerm) for term in query.terms):
        if any(isinstance(term, (IsTerm, TagTerm))
               or (isinstance(term, HasTerm) and term.value != "code") for term in query.terms):
            store.load_remaining()  # every state, not only the loaded shards'
        path = index_path(store.data_dir)
        ids = search_cached(path, paper_stamps(store.data_dir), query, store.states())
        if ids is None:  # the index from its cache file, made current (paperterm.index_cache)
            store.load_remaining()
            index = open_index(store.papers(), path, prepare=False, stamps=store.paper_stamps())
            ids = index.search(query, store.states())
        return [_entry(store, pid) for pid in ids[:limit]]
    store.load_remaining()
    matching = (
        entry for entry in store.entries() if query.matches_filters(entry.paper, entry.state)
    )
    return list(islice(matching, limit))


def _entry(store: Store, pid: str) -> Entry:
    """The paper ``pid`` with its state, its shard read first when it is not yet (or was
    written since the store was opened: the index file may be newer than the store)."""
    from paperterm.errors import UnknownPaperError
    from paperterm.model import Entry

    try:
        return Entry(store.get(pid), store.state(pid))
    except UnknownPaperError:
        store.load_remaining()
        store.refresh()
        return Entry(store.get(pid), store.state(pid))


def _out(line: str) -> None:
    """Print a line; file names and stored text in it cannot reach the terminal as escapes."""
    from paperterm.text import sanitize

    sys.stdout.write(sanitize(line) + "\n")


def _err(message: str) -> None:
    """Print ``paperterm: MESSAGE`` to stderr as one clean line."""
    from paperterm.text import sanitize

    sys.stderr.write(f"paperterm: {sanitize(message, single_line=True)}\n")


def _import_sources(args: argparse.Namespace) -> list[tuple[str, str | Path | None]]:
    """Expand the import arguments into (name, what) pairs, folders into their capture
    files (see ``paperterm.capture_inputs``)."""
    from paperterm.capture_inputs import CAPTURE_SUFFIXES, folder_files

    sources: list[tuple[str, str | Path | None]] = []
    for raw in args.paths:
        if raw == "-":
            sources.append(("<stdin>", "-"))
            continue
        path = Path(raw)
        if path.is_dir():
            files, others = folder_files(path)
            for other in others:
                _err(f"{other}: skipped, not a capture file ({', '.join(CAPTURE_SUFFIXES)})")
            sources.extend((str(file), file) for file in files)
            if not files:
                sources.append((raw, None))
        else:
            sources.append((raw, path))
    if args.clipboard:
        sources.append(("<clipboard>", "clipboard"))
    return sources


def _load_digest(
    name: str, what: str | Path | None, date: dt.date | None, fmt: str | None = None
) -> Digest:
    from paperterm.capture_inputs import load

    return load(name, what, date=date, format=fmt)


def _dry_run(sources: list[tuple[str, str | Path | None]], args: argparse.Namespace) -> int:
    """``import --dry-run``: read every input and tell what it holds; write nothing."""
    from paperterm.capture_inputs import dry_run_report

    failed = 0
    for name, what in sources:
        try:
            digest = _load_digest(name, what, args.date, args.format)
        except PapertermError as error:
            failed += 1
            _err(str(error))
            continue
        for line in dry_run_report(name, digest):
            _out(line)
    if failed:
        _err(f"{failed} of {len(sources)} inputs failed")
    return EXIT_FAILED if failed else EXIT_OK


IMPORT_BATCH_PAPERS = 20_000
"""``paperterm import`` imports digests in batches of about this many papers."""


def _batches(
    sources: list[tuple[str, str | Path | None]], date: dt.date | None, fmt: str | None = None
) -> Iterator[list[tuple[str, Digest | PapertermError]]]:
    """The inputs read in turn, in batches of about ``IMPORT_BATCH_PAPERS`` papers; an input
    that cannot be read comes as its error, in its place."""
    batch: list[tuple[str, Digest | PapertermError]] = []
    papers = 0
    for name, what in sources:
        try:
            digest = _load_digest(name, what, date, fmt)
        except PapertermError as error:
            batch.append((name, error))
            continue
        batch.append((name, digest))
        papers += len(digest.papers)
        if papers >= IMPORT_BATCH_PAPERS:
            yield batch
            batch, papers = [], 0
    if batch:
        yield batch


def _import_exported(
    sources: list[tuple[str, str | Path | None]], args: argparse.Namespace
) -> tuple[int, list[tuple[str, str | Path | None]]]:
    """Apply the inputs that are exported files (a paperterm reading list, a BibTeX file:
    see ``paperterm.readback.inputs``); returns how many failed and the other inputs."""
    from paperterm.readback.inputs import import_carried, split_sources

    exported, captures = split_sources(sources, args.format)
    if not exported:
        return 0, captures
    failed = import_carried(lambda: _open_store(args), exported, out=_out, err=_err,
                            dry_run=args.dry_run, today=args.date)  # fmt: skip
    if failed and not captures:
        _err(f"{failed} of {len(sources)} inputs failed")
    return failed, captures


def _record_line(record: ImportRecord) -> str:
    """One line of ``paperterm imports``: number, time, formats, sources, counts."""
    when = dt.datetime.fromisoformat(record.at).strftime("%Y-%m-%d %H:%M UTC")
    sources = record.sources[0] if record.sources else "?"
    if len(record.sources) > 1:
        sources += f" (+{len(record.sources) - 1} more)"
    counts = f"{plural(record.papers, 'paper')}, {len(record.added)} new, {record.known} known"
    return f"#{record.number}  {when}  {'/'.join(record.formats)}  {sources}: {counts}"


def cmd_imports(args: argparse.Namespace) -> int:
    """List the import history, oldest first."""
    with _open_store(args) as store:
        records = store.imports()
    for record in records:
        _out(_record_line(record))
    if not records:
        _out("no imports in the history")
    return EXIT_OK


def _undo_import(args: argparse.Namespace) -> int:
    """``paperterm import --undo [N] [--force]``: take an import back, say what was kept."""
    if args.paths or args.clipboard:
        raise PapertermError("import --undo takes no PATH or --clipboard")
    with _open_store(args) as store:
        done = store.undo_import(args.undo or None, force=args.force)
    _out(f"undid {_record_line(done.record)}")
    _out(f"  removed {plural(len(done.removed), 'paper')}; took dates or metadata back "
         f"from {plural(len(done.undated), 'known paper')}")  # fmt: skip
    if done.kept:
        _out(f"  kept {plural(len(done.kept), 'paper')} a user has starred, tagged, read or "
             f"annotated (paperterm import --undo {done.record.number} --force removes "
             "them too):")  # fmt: skip
        for paper in done.kept:
            _out(f"    {paper.id}  {' '.join(paper.title.split())}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Import every named input; a bad one is reported and the rest still go in."""
    if args.undo is not None:
        return _undo_import(args)
    if args.force:
        raise PapertermError("import: --force goes with --undo")
    sources = _import_sources(args)
    if not sources:
        raise PapertermError("import: name at least one PATH, '-' for stdin, or --clipboard")
    inputs = len(sources)
    failed, sources = _import_exported(sources, args)  # reading lists and BibTeX files
    if not sources:
        return EXIT_FAILED if failed else EXIT_OK
    if args.dry_run:
        return _dry_run(sources, args) or (EXIT_FAILED if failed else EXIT_OK)
    added = 0
    with _open_store(args) as store:
        for batch in _batches(sources, args.date, args.format):
            # Several digests under one lock, each touched shard written once (a folder of
            # three years of digests: seconds, not minutes). A batch the store refuses is
            # imported one by one, so that each input's error is its own.
            digests = [digest for _, digest in batch if not isinstance(digest, PapertermError)]
            try:
                results = iter(store.import_digests(digests))
            except PapertermError:
                results = None
            for name, digest in batch:
                try:
                    if isinstance(digest, PapertermError):
                        raise digest
                    result = next(results) if results else store.import_digest(digest)
                except PapertermError as error:
                    failed += 1
                    _err(str(error))
                    continue
                updated = f", {result.refreshed} updated" if result.refreshed else ""
                _out(f"{name}: {result.date.isoformat()}: {result.new} new, "
                     f"{result.known} already known{updated}")
                for warning in result.warnings:
                    _out(f"  warning: {warning}")
                added += result.new
        if added:
            # the next search loads the index rather than building it (paperterm.index_cache)
            from paperterm.index_cache import index_path, keep_current

            keep_current(store.papers(), index_path(store.data_dir), store.paper_stamps())
    if failed:
        _err(f"{failed} of {inputs} inputs failed")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """Print matching papers, one per line (or JSON lines); ``@name`` runs a saved search."""
    from paperterm.listing import entry_json_line, entry_text_line
    from paperterm.saved import expand
    from paperterm.sorting import paper_sort_key

    text = " ".join(args.query)
    with _open_store(args, eager=False) as store:
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

    store.load_remaining()
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
    from paperterm.model import Entry
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
    from paperterm.model import Entry
    from paperterm.paper_info import paper_links
    from paperterm.text import clean_tex, sanitize

    with _open_store(args) as store:
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
    with _open_store(args) as store:
        # distinct papers: an id given twice, or as a prefix and in full, is one paper
        ids = list(dict.fromkeys(store.resolve(text) for text in args.ids))
        if args.command in ("star", "unstar"):
            store.set_starred(ids, args.command == "star")
        else:
            store.set_read(ids, args.command == "read")
    _out(f"{args.command}: {len(ids)} paper{'s' if len(ids) != 1 else ''}")
    return EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    """Paper ids, then tag words as in the reader (NAME, +NAME, -NAME), and --remove tags."""
    from paperterm.tagging import split_tag_arguments

    with _open_store(args) as store:
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
    with _open_store(args) as store:
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
    from paperterm.text import sanitize

    fmt = export_format(args.format)
    if fmt.folder and (not args.output or args.output == "-"):
        raise PapertermError(f"export --format {fmt.name}: name the notes' folder with -o DIR")
    text = " ".join(args.query).strip() or "is:starred"
    with _open_store(args) as store:
        entries = _query_entries(store, text)
    require_papers(entries, text)
    count = f"{len(entries)} paper{'s' if len(entries) != 1 else ''}"
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


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check every store file; report what was repaired."""
    from paperterm.store import doctor

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    actions = doctor(data_dir)
    for line in actions:
        _out(line)
    if not actions:
        _out(f"{data_dir}: store is healthy")
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch the daily papers from Hugging Face (``paperterm.cli_fetch``)."""
    from paperterm.cli_fetch import run

    return run(args)


def cmd_tui(args: argparse.Namespace) -> int:
    """Launch the interactive reader (the only path that imports Textual)."""
    from paperterm.tui.launch import launch

    return launch(
        data_dir=resolve_data_dir(getattr(args, "data_dir", None)),
        user=resolve_user(getattr(args, "user", None)),
        demo=args.demo,
    )


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_tui,
    "import": cmd_import,
    "imports": cmd_imports,
    "list": cmd_list,
    "related": cmd_related,
    "show": cmd_show,
    "star": cmd_mark,
    "unstar": cmd_mark,
    "read": cmd_mark,
    "unread": cmd_mark,
    "tag": cmd_tag,
    "note": cmd_note,
    "export": cmd_export,
    "doctor": cmd_doctor,
    "fetch": cmd_fetch,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``paperterm`` console script; returns the exit code."""
    parser = build_parser()
    args = parse_args(parser, list(sys.argv[1:] if argv is None else argv))
    # A command lives for a moment and frees everything at exit: the cyclic collector would
    # only walk its 100,000 papers again and again while they load (the reader, which lives
    # on, settles its heap instead: paperterm.heap.settle_heap). Paused, not switched off,
    # so that a caller of main() in its own process gets its collector back.
    pause = nullcontext() if args.command is None else no_gc()
    try:
        with pause:
            return COMMANDS[args.command](args)
    except PapertermError as error:
        _err(str(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("paperterm: interrupted\n")
        return 130
    except BrokenPipeError:
        # `paperterm list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK
