"""The search index's vocabulary: every distinct token, sorted, and three ways to find
tokens from a typed one: those it starts (prefix), those within a few edits of it (typos),
and those holding it (a phrase's ends)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from itertools import accumulate


class Vocabulary:
    """Sorted tokens; ``near`` and ``containing`` build their lookup tables on first need."""

    def __init__(self, shortest_near: int) -> None:
        """``shortest_near``: tokens shorter than this are never offered by ``near``."""
        self._shortest = shortest_near
        self._tokens: list[str] = []  # sorted
        self._by_len: dict[int, list[str]] = {}  # tokens for near(), by length
        self._by_char: dict[tuple[int, int, str], list[str]] = {}  # (len, 0/1/-1, char)
        self._blob = ""  # "\n" + "\n".join(_tokens) + "\n": tokens by substring
        self._blob_starts: list[int] = []  # where each token starts in _blob

    @classmethod
    def of_sorted(cls, tokens: list[str], shortest_near: int) -> Vocabulary:
        """A vocabulary of ``tokens``, sorted and distinct already (the index cache file
        keeps them so): taken as they are, not sorted again."""
        vocabulary = cls(shortest_near)
        vocabulary._tokens = tokens
        return vocabulary

    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str):
            return False
        i = bisect_left(self._tokens, token)
        return i < len(self._tokens) and self._tokens[i] == token

    def add(self, tokens: Iterable[str]) -> None:
        """Add tokens (those known already are skipped)."""
        new = set(tokens)
        if self._tokens:
            new = {token for token in new if token not in self}
        if not new:
            return
        if self._by_len:  # else built on first need
            self._file(new)
        self._blob = ""
        if len(new) * 32 < len(self._tokens):
            for token in new:
                insort(self._tokens, token)
        else:
            self._tokens.extend(new)
            self._tokens.sort()

    def prepare(self) -> None:
        """Make now what the first ``near`` would (a worker calls this at start)."""
        if not self._by_len:
            self._file(self._tokens)

    def _file(self, tokens: Iterable[str]) -> None:
        """File tokens under their length; ``near`` files them under (length, position,
        character) as it needs them: a few keys per word typed."""
        by_len, shortest = self._by_len, self._shortest
        for token in tokens:
            if len(token) >= shortest:
                by_len.setdefault(len(token), []).append(token)
        self._by_char.clear()

    def starting(self, part: str) -> list[str]:
        """Tokens equal to or starting with ``part``, in order."""
        tokens = self._tokens
        start = end = bisect_left(tokens, part)
        while end < len(tokens) and tokens[end].startswith(part):
            end += 1
        return tokens[start:end]

    def near(self, token: str, edits: int) -> list[str]:
        """Tokens that may lie within ``edits`` (1 or 2) edits of ``token`` (a superset).

        After one edit the first or the last character is still in place.  After two (tokens
        of 8+ characters) too, or one edit hit the front, leaving the second character in
        place, or moved to the front, or the first character moved to second place.
        """
        self.prepare()
        keys = [(0, token[0]), (-1, token[-1])]
        if edits > 1:
            keys += [(0, token[1]), (1, token[1]), (1, token[0])]
        choices: list[str] = []
        for length in range(len(token) - edits, len(token) + edits + 1):
            for position, char in dict.fromkeys(keys):
                found = self._by_char.get((length, position, char))
                if found is None:
                    found = [t for t in self._by_len.get(length, ()) if t[position] == char]
                    self._by_char[length, position, char] = found
                choices += found
        return choices

    def containing(self, part: str, *, suffix: bool, at_most: int) -> list[str] | None:
        """Tokens ending with (``suffix``) or containing ``part``; None when more than
        ``at_most``. Searched with ``str.find`` in all the tokens joined by newlines."""
        if not self._blob:
            self._blob = "\n" + "\n".join(self._tokens) + "\n"
            self._blob_starts = list(accumulate((len(t) + 1 for t in self._tokens), initial=1))
        blob, starts, needle = self._blob, self._blob_starts, part + "\n" if suffix else part
        found: dict[str, None] = {}
        at = blob.find(needle)
        while at >= 0 and len(found) <= at_most:
            found[self._tokens[bisect_right(starts, at) - 1]] = None
            at = blob.find(needle, at + 1)
        return list(found) if len(found) <= at_most else None
