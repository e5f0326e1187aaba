"""Term vectors: each paper's distinct title and abstract tokens, as ids, with their weights.

The ranking features (related papers, the "for you" order; see ``paperterm.ranking``) weigh
a paper by tf-idf: sublinear term frequency ``1 + ln(count)`` (a title occurrence counts
``TITLE_WEIGHT`` times) times ``idf = ln((n + 1) / (df + 1)) + 1``, over the search index's
tokens (folded the same way) less English stop words, with the paper's vector scaled to
length 1 (``norm``). Tokens held by a single paper cannot make two papers alike and weigh 0;
so do tokens in more than ``COMMON_SHARE`` of the papers, which say almost nothing.
(``benchmarks/ranking.py`` chose these: binary term frequency found related papers of the
same topic a third less often.)

Kept compactly: every paper's token ids end to end in one ``array('I')`` (``flat``) beside
their term frequencies (``tfs``, float32), a paper's run found by ``offsets``, its tokens
seen once first (``singles`` of them: a score adds their weights without multiplying,
which is most of the work of ranking a whole store); and, for tokens
at most ``RARE_SHARE`` of the papers hold, their postings (token id -> slots), which is what
finding related papers walks.

Derived data: ``paperterm.term_cache`` saves it beside the search index; deleting the file
costs a rebuild, a damaged one is ignored. Vectors read from that file keep ``flat``,
``tfs`` and the postings as views of its memory map (``MappedPostings``), so they cost
memory only as they are used; adding papers copies them into arrays first (``owned``).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, filterfalse, repeat
from operator import mul
from typing import Any, Final

from paperterm.folding import TOKEN_RE, fold
from paperterm.heap import no_gc
from paperterm.model import Paper

COMMON_SHARE: Final = 0.5
RARE_SHARE: Final = 0.02
RARE_AT_LEAST: Final = 50  # in a small store, tokens this rare still count as rare
TITLE_WEIGHT: Final = 2
# A-Z to a-z, every other ASCII non-alphanumeric to a space: fold + tokenize in one pass (as
# the search index does; not imported from it, for paperterm.search is slow to import)
_ASCII_TOKENS: Final = str.maketrans(
    {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)
_STOP_WORDS: Final = (
    "about above after again against all also am among an and any are as at be been before "
    "being below between both but by can could did do does doing down during each either "
    "etc few for from further had has have having he her here hers herself him himself his "
    "how however if in into is it its itself just may me might more most much must my "
    "myself neither no nor not now of off on once only or other our ours ourselves out over "
    "own per same shall she should so some such than that the their theirs them themselves "
    "then there these they this those through thus to too under until up upon us very via "
    "was we were what when where whether which while who whom why will with within without "
    "would yet you your yours yourself yourselves"
)
STOP_WORDS: Final = frozenset(_STOP_WORDS.split())


def _new_postings() -> array[int]:
    return array("I")


def _words(text: str) -> list[str]:
    """The folded tokens of a text, repeats kept, one-character tokens and stop words out."""
    if text.isascii() and "\\" not in text:
        words = text.translate(_ASCII_TOKENS).split()
    else:
        words = TOKEN_RE.findall(fold(text))
    return [w for w in words if len(w) > 1 and w not in STOP_WORDS]


def paper_terms(paper: Paper) -> dict[str, float]:
    """A paper's tokens with their sublinear term frequency (title counted heavier)."""
    counts = Counter(_words(paper.abstract))
    for word in _words(paper.title):
        counts[word] += TITLE_WEIGHT
    log = math.log
    return {word: 1.0 + log(count) for word, count in counts.items()}


@dataclass(slots=True)
class TermVectors:
    """Token ids per paper, document frequencies, idf weights and vector norms."""

    ids: list[str] = field(default_factory=list)  # slot -> paper id
    # slot -> len(title) + len(abstract)
    lengths: array[int] = field(default_factory=lambda: array("I"))
    vocab: list[str] = field(default_factory=list)  # token id -> token
    df: array[int] = field(default_factory=lambda: array("I"))  # token id -> papers holding it
    # every paper's token ids and their frequencies: arrays, or read-only views of the
    # cache file's memory map (``paperterm.term_cache``) until papers are added
    flat: array[int] | memoryview = field(default_factory=lambda: array("I"))
    tfs: array[float] | memoryview[float] = field(default_factory=lambda: array("f"))
    offsets: array[int] = field(default_factory=lambda: array("I", [0]))  # slot -> start
    singles: array[int] = field(default_factory=lambda: array("I"))  # slot -> tokens with tf 1
    slot: dict[str, int] = field(default_factory=dict)
    token_id: dict[str, int] = field(default_factory=dict)
    idf: list[float] = field(default_factory=list)
    norms: list[float] = field(default_factory=list)
    # rare token id -> slots: a dict, or ``MappedPostings`` over the cache file
    postings: Mapping[int, Sequence[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, papers: Iterable[Paper]) -> TermVectors:
        """The term vectors of ``papers`` (seconds at 100,000 papers: use a worker)."""
        vectors = cls()
        vectors.add(papers)
        return vectors

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, papers: Iterable[Paper]) -> None:
        """Add papers not held yet (a held id is skipped: a paper's text never changes),
        then weigh every token again (idf depends on the paper count)."""
        with no_gc():  # many small objects, none cyclic: no collections walking them
            self._add(papers)

    def _add(self, papers: Iterable[Paper]) -> None:
        flat, tfs = owned(self.flat, "I"), owned(self.tfs, "f")  # views of a file: copied
        self.flat, self.tfs = flat, tfs
        token_id, vocab = self.token_id, self.vocab
        start = len(flat)
        added = False
        for paper in papers:
            if paper.id in self.slot:
                continue
            terms = paper_terms(paper)
            new = list(filterfalse(token_id.__contains__, terms))
            if new:
                token_id.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
                vocab.extend(new)
            # the tokens seen once first: scoring them needs no multiplication (``singles``)
            once = [token for token, tf in terms.items() if tf == 1.0]
            more = [token for token, tf in terms.items() if tf != 1.0]
            flat.extend(map(token_id.__getitem__, once))
            flat.extend(map(token_id.__getitem__, more))
            tfs.extend(repeat(1.0, len(once)))
            tfs.extend(map(terms.__getitem__, more))
            self.singles.append(len(once))
            self.offsets.append(len(flat))
            self.slot[paper.id] = len(self.ids)
            self.ids.append(paper.id)
            self.lengths.append(len(paper.title) + paper.abstract_length)
            added = True
        if added or not self.idf:
            counts = Counter(flat[start:])  # C-level counting
            df = self.df
            df.extend(repeat(0, len(vocab) - len(df)))
            for number, count in counts.items():
                df[number] += count
            self.weigh()

    def weights(self) -> list[float]:
        """idf per token id: 0 for tokens of one paper or of more than ``COMMON_SHARE``."""
        n = len(self.ids)
        common = max(2, int(n * COMMON_SHARE))
        log = math.log
        return [log((n + 1) / (d + 1)) + 1.0 if 2 <= d <= common else 0.0 for d in self.df]

    def weigh(self) -> None:
        """idf per token (0 for the tokens left out), every paper's norm, the postings of
        the rare tokens."""
        n = len(self.ids)
        self.idf = self.weights()
        idf = self.idf.__getitem__
        flat, tfs, offsets = self.flat, self.tfs, self.offsets
        norms: list[float] = []
        sqrt = math.sqrt
        for i in range(n):
            start, end = offsets[i], offsets[i + 1]
            weights = list(map(mul, map(idf, flat[start:end]), tfs[start:end]))
            norms.append(sqrt(sum(map(mul, weights, weights))) or 1.0)
        self.norms = norms
        rare = max(RARE_AT_LEAST, int(n * RARE_SHARE))
        is_rare = bytes(1 if 2 <= d <= rare else 0 for d in self.df).__getitem__
        postings: defaultdict[int, array[int]] = defaultdict(_new_postings)
        append, posting = array.append, postings.__getitem__
        for slot in range(n):
            row = flat[offsets[slot] : offsets[slot + 1]]
            # C-level: postings[number].append(slot) for every rare token of the paper
            deque(map(append, map(posting, compress(row, map(is_rare, row))), repeat(slot)), 0)
        self.postings = dict(postings)

    def tokens_of(self, slot: int) -> Sequence[int]:
        """The token ids of the paper in ``slot``."""
        return self.flat[self.offsets[slot] : self.offsets[slot + 1]]

    def tfs_of(self, slot: int) -> Sequence[float]:
        """The term frequencies of the paper in ``slot``, beside ``tokens_of``."""
        return self.tfs[self.offsets[slot] : self.offsets[slot + 1]]

    def vector_of(self, paper: Paper) -> tuple[dict[int, float], float]:
        """Token id -> term frequency, and the norm, of any paper (held or not: tokens the
        vectors do not know are dropped)."""
        slot = self.slot.get(paper.id)
        if slot is not None:
            tokens = dict(zip(self.tokens_of(slot), self.tfs_of(slot), strict=True))
            return tokens, self.norms[slot]
        get, idf = self.token_id.get, self.idf
        tokens = {
            number: tf for token, tf in paper_terms(paper).items()
            if (number := get(token)) is not None
        }  # fmt: skip
        norm = math.sqrt(sum((idf[n] * tf) ** 2 for n, tf in tokens.items())) or 1.0
        return tokens, norm

    def matches(self, papers: Sequence[Paper]) -> bool:
        """True when these vectors are of exactly ``papers`` (ids and text lengths)."""
        if len(papers) != len(self.ids):
            return False
        slot = self.slot
        lengths = self.lengths
        for paper in papers:
            number = slot.get(paper.id)
            if number is None or lengths[number] != len(paper.title) + paper.abstract_length:
                return False
        return True


def owned(values: array[Any] | memoryview[Any], typecode: str) -> array[Any]:
    """``values`` as an array of its own (a copy when it is a view of a memory map)."""
    if isinstance(values, array):
        return values
    copy = array(typecode)
    copy.frombytes(values.cast("B"))
    return copy


class MappedPostings(Mapping[int, Sequence[int]]):
    """The postings of the rare tokens as the cache file holds them: the token ids (sorted),
    where each one's postings end, and every posting end to end. Nothing is copied: a
    token's postings are a slice of ``joined`` (a view of the file's memory map)."""

    def __init__(self, keys: array[int], ends: array[int], joined: Sequence[int]) -> None:
        self._keys, self._ends, self._joined = keys, ends, joined

    def _at(self, key: object) -> int:
        keys = self._keys
        at = bisect_left(keys, key) if isinstance(key, int) else len(keys)
        return at if at < len(keys) and keys[at] == key else -1

    def __getitem__(self, key: int) -> Sequence[int]:
        at = self._at(key)
        if at < 0:
            raise KeyError(key)
        return self._joined[self._ends[at - 1] if at else 0 : self._ends[at]]

    def __contains__(self, key: object) -> bool:
        return self._at(key) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
