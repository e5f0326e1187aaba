"""The rest of a partial open, then the search index, loaded behind the first screen.

The reader opens the store with its newest shards only; once the first results are painted
the main screen runs ``load_rest`` in a thread worker. The store is used on the UI thread
only: the worker reads files, the UI thread adopts what it read. The screen hears of each
step by a message (``StoreChanged``, then ``IndexReady``).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.message import Message
from textual.worker import get_current_worker

from paperterm.errors import PapertermError
from paperterm.triage import Triage, settle_heap
from paperterm.tui.messages import IndexReady, StartDone, StoreChanged


def load_rest(session: Triage, app: App[None], tell: Callable[[Message], object]) -> None:
    """Read the shards a partial open left out, then load or build the search index.

    Runs in a worker thread; ``tell`` posts a message to the screen."""
    worker = get_current_worker()
    if not session.complete:
        try:
            rest = session.read_remaining()
        except PapertermError as error:
            app.call_from_thread(app.notify, str(error), severity="error")
        else:
            if worker.is_cancelled:  # the user switched meanwhile: this store is closed
                return
            app.call_from_thread(session.adopt, rest)
            del rest  # what was read but not kept (title keys, the lists) goes before the index
            tell(StoreChanged("every paper loaded"))
    # every paper and its shards' stamps, read together on the store's thread
    papers, stamps = app.call_from_thread(session.index_basis)
    if session.index is None:  # a user switch shares the index it had
        session.build_index(papers, stamps)
    if worker.is_cancelled:
        return
    tell(IndexReady())
    # the term vectors of related papers and "for you", when their cache file is there
    # (a load, unlike a build): R is then quick at once. Without it the first R or "for
    # you" builds them; not here, where quitting would wait for it.
    if session.recommender.cached:
        session.recommender.prepare(papers)
    settle_heap()
    tell(StartDone())
