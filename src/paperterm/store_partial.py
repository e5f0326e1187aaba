"""Partial loading, for the reader's fast start: the newest paper shards until they hold
enough papers for a first screen (``load_newest``), the rest read in a worker thread
(``read_remaining``, which touches nothing loaded) and taken in on the store's own thread
(``adopt``).
"""

from __future__ import annotations

from dataclasses import dataclass

from paperterm.documents import DateCache
from paperterm.heap import no_gc
from paperterm.storage import StoreDB, shard_months, shared_lock
from paperterm.store_shards import PaperShard, Shards, StateShard, read_papers, read_states


@dataclass(frozen=True, slots=True)
class Remaining:
    """The shards a partial open left out, as ``Store.read_remaining`` read them.

    ``papers`` and ``states`` map a shard month to the file version read and its contents.
    """

    papers: dict[str, PaperShard]
    states: dict[str, StateShard]


def load_newest(shards: Shards, wanted: int) -> None:
    """Load the newest paper shards until they hold ``wanted`` papers; the rest wait."""
    months = shard_months(shards.papers_dir)
    with no_gc():
        for number, month in enumerate(months, 1):
            shards.load_papers(month)
            if len(shards.papers) >= wanted and number < len(months):
                shards.cutoff = month
                return


def read_remaining(shards: Shards) -> Remaining:
    """Read the shards a partial open left out, touching nothing of what is loaded."""
    cutoff = shards.cutoff
    papers: dict[str, PaperShard] = {}
    states: dict[str, StateShard] = {}
    if cutoff is None:
        return Remaining(papers, states)
    dates = DateCache()
    # The lock is held per file, not for the whole read: a write meanwhile (the reader
    # saving a star) must not wait long. A shard changed after it was read is reloaded
    # by the next refresh, as after any other process's write.
    with no_gc():
        for month in shard_months(shards.papers_dir):
            if month < cutoff:
                path = shards.paper_path(month)
                table = StoreDB(path).str_table("papers")
                with shared_lock(shards.data_dir):
                    shard = read_papers(path, table, dates, shards.shelf)
                papers[month] = (table.storage_key(), shard)  # the key of what was read
        for month in shard_months(shards.user_dir):
            if month < cutoff:
                path = shards.user_dir / f"{month}.json"
                table = StoreDB(path).str_table("state")
                with shared_lock(shards.data_dir):
                    fresh = read_states(path, table)
                states[month] = (table.storage_key(), fresh)
    return Remaining(papers, states)


def adopt(shards: Shards, remaining: Remaining) -> bool:
    """Take in what ``read_remaining`` read (shards loaded meanwhile kept as loaded);
    False when nothing was left out."""
    if shards.cutoff is None:
        return False
    with no_gc():
        for month, (key, papers) in remaining.papers.items():
            if shards.paper_path(month) not in shards.loaded:
                shards.put_papers(month, papers, key)
        for month, (key, states) in remaining.states.items():
            if shards.user_dir / f"{month}.json" not in shards.loaded:
                shards.put_states(month, states, key)
    shards.cutoff = None
    return True
