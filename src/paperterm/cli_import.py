"""``paperterm import`` (captures, exported files, ``--dry-run``, ``--undo``) and
``paperterm imports``, the import history."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.cli_common import EXIT_FAILED, EXIT_OK, _err, _open_store, _out
from paperterm.errors import PapertermError
from paperterm.index_cache import keep_store_current
from paperterm.model import Digest
from paperterm.text import plural

if TYPE_CHECKING:
    from paperterm.store import ImportRecord


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
                            dry_run=args.dry_run, today=args.date,
                            after_adding=keep_store_current)  # fmt: skip
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
        keep_store_current(store)
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
    imported = 0
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
                imported += 1
        if imported:  # new papers or new dates: the next search need not load the store
            keep_store_current(store)
    if failed:
        _err(f"{failed} of {inputs} inputs failed")
    return EXIT_FAILED if failed else EXIT_OK
