"""The search index's cache file: build the index once, then load it in a fraction of the time.

Building the index of 100,000 papers takes seconds (every abstract is folded and tokenized);
reading it back from ``DATA_DIR/cache/search-index.bin`` takes a fraction of that. A paper's
text never changes once stored (an import only adds digest dates), so a cached index stays
valid for every paper it holds: ``open_index`` loads it, indexes the papers it lacks, treats
papers it holds that are gone or whose title or abstract length differs as deleted, and
rewrites the file when it was missing or lacks many papers.

The file is derived data: deleting it only costs one rebuild; a damaged, truncated or foreign
file is ignored and replaced. Writes are atomic (``atomicfile``), so two processes writing it
at once leave one whole file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.model import Paper

if TYPE_CHECKING:  # imported when first needed: rapidfuzz is slow to import
    from paperterm.search import SearchIndex

INDEX_FILE = Path("cache") / "search-index.bin"
SAVE_AFTER = 2000
"""Papers indexed beyond the cache file before ``open_index`` rewrites it."""


def index_path(data_dir: Path) -> Path:
    """Where the store at ``data_dir`` keeps its search-index cache."""
    return Path(data_dir) / INDEX_FILE


def open_index(papers: Sequence[Paper], path: Path | None) -> SearchIndex:
    """The search index of ``papers``, from the cache file at ``path`` when it is usable.

    Never fails for the cache's sake: an unreadable file means a build, an unwritable one
    means no cache.
    """
    from paperterm.search import SearchIndex

    return SearchIndex(papers)
