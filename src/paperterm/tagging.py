"""The tag syntax the reader's tag dialog and ``paperterm tag`` share.

Words separated by spaces (or commas): ``rl`` or ``+rl`` adds the tag, ``-old`` removes it;
a later word about the same tag wins over an earlier one. On the command line each argument
is one word, and the words follow the paper ids: :func:`split_tag_arguments` tells the two
apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from paperterm.errors import PapertermError, UnknownPaperError

__all__ = ["TagChange", "parse_tag_input", "parse_tag_words", "split_tag_arguments"]


@dataclass(frozen=True)
class TagChange:
    """Tags to add and tags to remove, each in the order given, without repeats."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


def parse_tag_input(text: str) -> TagChange:
    """``"ml +rl -old"`` → add (ml, rl), remove (old). Later words win over earlier ones."""
    return parse_tag_words(text.replace(",", " ").split())


def parse_tag_words(words: Iterable[str]) -> TagChange:
    """Each word one tag: ``+name`` or ``name`` adds, ``-name`` removes; later words win.

    A word is taken whole (``"+To Read"`` is the tag ``To Read``, which the store keeps as
    ``to-read``): the command line's arguments are already words.
    """
    add: dict[str, None] = {}
    remove: dict[str, None] = {}
    for word in words:
        if word.startswith("-"):
            name = word[1:]
            if name.strip():
                remove[name] = None
                add.pop(name, None)
        else:
            name = word.removeprefix("+")
            if name.strip():
                add[name] = None
                remove.pop(name, None)
    return TagChange(tuple(add), tuple(remove))


def split_tag_arguments(
    words: Sequence[str], resolve: Callable[[str], str], known_tags: Collection[str]
) -> tuple[list[str], TagChange]:
    """``["k3f", "7xw", "rl", "-old"]`` → the papers' ids (distinct) and the tag change.

    The first word names a paper (its error when it does not); so does each following word
    that ``resolve`` accepts (an id or a unique id prefix), up to the first word that it
    refuses or that starts with ``+`` or ``-``: from there on every word is a tag word. A
    word that is an id prefix and also one of ``known_tags`` is refused as ambiguous rather
    than guessed (``+NAME`` says it is the tag). Raises :class:`PapertermError`.
    """
    if not words or words[0].startswith(("+", "-")):
        raise PapertermError("tag: name the paper ids first, then the tags: ID... NAME +NAME -NAME")
    ids = [resolve(words[0])]
    at = 1
    while at < len(words) and not words[at].startswith(("+", "-")):
        word = words[at]
        try:
            pid = resolve(word)
        except UnknownPaperError:
            break
        name = word.strip().lower()
        if pid != name and name in known_tags:
            raise PapertermError(
                f"tag: {word!r} is both a paper id prefix and a tag: "
                f"write +{name} for the tag, or the full id {pid}"
            )
        ids.append(pid)
        at += 1
    return list(dict.fromkeys(ids)), parse_tag_words(words[at:])
