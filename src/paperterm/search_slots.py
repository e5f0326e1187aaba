"""The search index's slots and what is kept per slot: postings (``postings``), the
vocabulary, the newest-first order, the filter sets (``search_facets``, ``search_states``);
built by ``IndexedPapers.add``, saved as ``IndexParts`` (``paperterm.index_cache``).

Re-adding a paper with unchanged text only updates its dates and links; otherwise its old
slot becomes a tombstone, and the index rebuilds itself once tombstones outnumber live papers.
No folded copy of the texts is kept, and slots in sets are shared int objects (``_ints``),
which halves the cost of making a set from postings.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, islice
from operator import attrgetter, not_
from typing import Final, Self

from paperterm.folding import index_tokens
from paperterm.heap import no_gc
from paperterm.model import Paper
from paperterm.postings import Postings, PostingsReader
from paperterm.search_facets import Facets
from paperterm.search_order import Order, newest_first
from paperterm.search_states import StateFilter
from paperterm.search_words import MIN_FUZZY_LEN, Words
from paperterm.vocabulary import Vocabulary

NO_PAPER: Final = Paper(id="", title="", abstract="", links=(), dates=())

@dataclass(frozen=True, slots=True)
class IndexParts:
    """An index's postings, for saving: slot -> id ("" for a tombstone), slot -> length of
    the title and of the abstract (to notice a changed paper), the title and abstract
    postings, the live slots newest first and, read from a file, the stamps of the store
    files it was made from (``paperterm.index_cache``)."""

    ids: list[str]
    title_lengths: array[int]
    abstract_lengths: array[int]
    title: Postings
    abstract: Postings
    order: list[int] = field(default_factory=list)
    stamps: dict[str, list[int]] | None = None
    identity: int = 0  # read from a file: which file (see paperterm.index_delta)



class IndexedPapers:
    """What a search index holds: slots (a paper's small int; a tombstone once the paper is
    gone or replaced), their postings, vocabulary, order and filter sets, built by ``add``,
    saved as ``parts`` and made again ``from_parts`` or ``from_file``; ``SearchIndex``
    answers queries over it."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._reset()
        self.add(papers)

    def _reset(self) -> None:
        self._papers: list[Paper | None] = []  # slot -> paper, None for a tombstone
        self._ids: list[str] = []  # slot -> id
        self._ints: list[int] = []  # slot -> the int object standing for it in sets
        self._slot: dict[str, int] = {}  # id -> live slot
        self._dead: set[int] = set()
        self._title = Postings()
        self._abstract = Postings()
        self._vocab = Vocabulary(shortest_near=MIN_FUZZY_LEN - 1)
        self._vocab_seen = (0, 0)  # len(_title), len(_abstract) when _vocab was brought up
        self._words = Words(self._title, self._abstract, self._vocab, self._ints, self._dead)
        self._facets = Facets(self._papers)
        self._mapped = False  # from_file: no papers, only words and state terms answered
        self._states = StateFilter(self._slot)
        self._order: Order | None = None  # None: stale

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._slot

    def holds(self, paper: Paper) -> bool:
        """Whether this very paper object is indexed (papers are frozen: a paper read
        again, with a new digest date say, is another object)."""
        slot = self._slot.get(paper.id)
        return slot is not None and self._papers[slot] is paper

    @property
    def tombstones(self) -> int:
        """Slots whose paper is gone or was replaced."""
        return len(self._dead)

    @property
    def past_bitmaps(self) -> int | None:
        """Slots indexed since ``make_prefix_bits`` last ran; None when it never did."""
        covered = self._abstract.bits_slots
        return len(self._papers) - covered if covered else None

    # ------------------------------------------------------------------ building

    def add(self, papers: Iterable[Paper]) -> None:
        """Index papers; a paper whose id is already indexed replaces the old one."""
        if self._mapped:
            raise TypeError("an index read from its cache file takes no papers")
        with no_gc():  # millions of small objects, none of them cyclic
            self._add(papers)
        if len(self._dead) > max(1024, len(self._slot)):
            live = [p for p in self._papers if p is not None]
            self._reset()
            self.add(live)

    def _add(self, papers: Iterable[Paper]) -> None:
        link = self._facets.link
        add_title, add_abstract = self._title.add, self._abstract.add
        for paper in papers:
            old = self._slot.get(paper.id)
            if old is not None:
                before = self._papers[old]
                link(old, before, -1)
                assert before is not None
                if before is paper or (
                    before.title == paper.title
                    and before.abstract_length == paper.abstract_length
                    and before.abstract == paper.abstract
                ):
                    self._papers[old] = paper
                    link(old, paper, +1)
                    continue
                self._dead.add(old)
                self._papers[old] = None
            slot = len(self._papers)
            self._papers.append(paper)
            self._ids.append(paper.id)
            self._ints.append(slot)
            self._slot[paper.id] = slot
            link(slot, paper, +1)
            add_title(slot, index_tokens(paper.title))
            add_abstract(slot, index_tokens(paper.abstract))
        self._changed()

    def _changed(self) -> None:
        self._order = None
        self._words.changed()
        self._facets.changed()
        self._states.changed()

    def prepare(self) -> None:
        """Do now what the first searches would: the sorted vocabulary, the newest-first
        order and the fuzzy buckets (a worker calls this; then searches are quick at once)."""
        self._ensure_vocab()
        self._ensure_order()
        self._vocab.prepare()

    def parts(self) -> IndexParts:
        """The postings and what they refer to, for ``paperterm.index_cache`` to save."""
        papers = [p if p is not None else NO_PAPER for p in self._papers]
        return IndexParts(
            [p.id for p in papers],
            array("I", [len(p.title) for p in papers]),
            array("I", [p.abstract_length for p in papers]),
            self._title,
            self._abstract,
            self._ensure_order().slots,
        )

    def make_prefix_bits(self) -> None:
        """Bitmaps of the abstract's common prefixes and tokens (``Postings.make_bitmaps``).

        Typing the second or third letter of a word matches thousands of vocabulary tokens,
        whose union of postings was most of such a keystroke's work; words most abstracts
        hold ("learning") have long postings too. Made here and saved with the index.
        """
        self._abstract.make_bitmaps(len(self._papers), self._ints)
        self._words.changed()

    @classmethod
    def from_parts(cls, parts: IndexParts, papers: Sequence[Paper]) -> Self:
        """The index of ``papers`` made from saved parts: slots whose paper is gone, or
        whose title or abstract length changed, become tombstones; papers the parts lack
        are indexed anew."""
        index = cls()
        by_id = dict(zip(map(attrgetter("id"), papers), papers, strict=True))
        found = list(map(by_id.get, parts.ids))
        # keyed by the papers' own id strings when all are there: the file's copies go
        complete = all(found)  # not ``None in found``: that compares every paper with None
        ids = list(map(attrgetter("id"), found)) if complete else parts.ids
        index._ints[:] = range(len(parts.ids))
        index._slot.update(zip(ids, index._ints, strict=True))
        if not complete or len(index._slot) < len(found) or not (
            array("I", map(len, map(attrgetter("title"), found))) == parts.title_lengths
            and array("I", map(attrgetter("abstract_length"), found)) == parts.abstract_lengths
        ):  # some papers are gone or changed: tombstones for them
            index._slot.clear()
            for slot, paper in enumerate(found):
                if (
                    paper is None
                    or paper.id in index._slot
                    or len(paper.title) != parts.title_lengths[slot]
                    or paper.abstract_length != parts.abstract_lengths[slot]
                ):
                    found[slot] = None
                    index._dead.add(slot)
                else:
                    index._slot[paper.id] = slot
            index._ids[:] = [paper.id if paper is not None else pid
                             for paper, pid in zip(found, parts.ids, strict=True)]  # fmt: skip
        else:  # the usual case, in C-level loops only
            index._ids[:] = ids
        slot_of = index._slot
        index._papers[:] = found  # in place: the facets hold this list
        index._title.table.update(parts.title.table)
        index._abstract.table.update(parts.abstract.table)
        index._abstract.bitmaps = dict(parts.abstract.bitmaps)
        index._abstract.bits_slots = parts.abstract.bits_slots
        index._changed()
        index.add([paper for paper in papers if paper.id not in slot_of])
        return index

    @classmethod
    def from_file(
        cls,
        ids: list[str],
        title: PostingsReader,
        abstract: PostingsReader,
        vocabulary: list[str],
        order: list[int],
    ) -> Self:
        """An index answering free words and state terms (not ``needs_papers``' terms)
        from a cache file's sections, without the papers: slot -> id ("" for a tombstone),
        postings read on demand, the sorted vocabulary and the live slots newest first."""
        index = cls()
        index._mapped = True
        # C-level loops only: this is most of a word search from the shell
        index._ids[:] = ids
        index._ints[:] = range(len(ids))
        index._papers[:] = [NO_PAPER] * len(ids)  # only counted: no query looks at them
        index._slot.update(zip(ids, index._ints, strict=True))
        index._slot.pop("", None)  # tombstones
        index._dead.update(compress(index._ints, map(not_, ids)))
        index._vocab = Vocabulary.of_sorted(vocabulary, MIN_FUZZY_LEN - 1)
        index._words = Words(title, abstract, index._vocab, index._ints, index._dead)
        index._order = Order(order, ids, len(ids))
        return index

    def _ensure_vocab(self) -> None:
        """Bring the vocabulary up to date (dicts keep order: new tokens are last)."""
        if self._mapped:
            return
        seen_title, seen_abstract = self._vocab_seen
        if self._vocab_seen == (len(self._title), len(self._abstract)):
            return
        # one call: each add sorts, and a token seen before is looked up one at a time
        new_title = islice(self._title.table, seen_title, None)
        self._vocab.add(chain(new_title, islice(self._abstract.table, seen_abstract, None)))
        self._vocab_seen = (len(self._title), len(self._abstract))

    def _ensure_order(self) -> Order:
        """The newest-first order of live slots, brought up to date."""
        if self._order is None:
            slots = newest_first(self._papers, self._ints)
            self._order = Order(slots, self._ids, len(self._papers), self._ints)
        return self._order

