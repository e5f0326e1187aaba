"""The main screen's link keys: copy a code link or the BibTeX entry (y), copy any link
(Y), open a link (o). Only http(s) links, percent-encoded like the Markdown export's, are
ever copied or opened."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from paperterm.export import safe_url
from paperterm.exports.bibtex import bibtex_of
from paperterm.model import Entry, Link
from paperterm.paper_info import paper_links
from paperterm.tui.screens.dialogs import LinkPicker
from paperterm.tui.screens.reader_base import ReaderScreen

_BIBTEX = "paperterm:bibtex"  # the BibTeX entry's value in the y picker (links are http(s))

LINK_BINDINGS: list[Binding] = [
    Binding("y", "copy_code", "Copy code", id="main.copy_code"),
    Binding("Y", "copy_link", "Copy link", show=False, id="main.copy_link"),
    Binding("o", "open_link", "Open link", show=False, id="main.open"),
]


class LinkActions(ReaderScreen):
    """Copy and open the selected paper's links."""

    def _with_link(self, *, code_only: bool, then: str, pages: bool = False) -> None:
        """Copy or open a link of the current paper, picking one when there are several:
        its code links (``code_only``; with ``pages`` its arXiv and HF pages too), falling
        back to every link when it has none of those."""
        pid = self.current()
        if pid is None:
            return
        paper = self.session.paper(pid)
        links = tuple(Link(url, link.kind) for link in paper_links(paper)
                      if (url := safe_url(link.url)) is not None)  # fmt: skip
        wanted = ("code", "arxiv", "hf") if pages else ("code",)
        code = tuple(link for link in links if link.kind in wanted)
        if then == "copy" and code_only and not code:
            # y is for code only: a project page copied as "the code" misleads
            any_link = self.desk.key_display("main.copy_link")
            message = (f"This paper has no code link; {any_link} copies any link."
                       if links else "This paper has no links.")
            self.app.notify(message, severity="warning", timeout=3)
            return
        choices = code if (code_only and code) else links
        if not choices and (code_only or then != "copy"):
            self.app.notify("This paper has no links.", severity="warning", timeout=3)
            return

        def use(url: str | None) -> None:
            if url is None:
                return
            if then == "copy":
                self.desk.copy_text(url)
            else:
                self.desk.open_link(url)

        if then == "copy" and not code_only:  # Y: any link, or the BibTeX entry
            self.app.push_screen(
                LinkPicker("Copy which?", choices, extras=(("BibTeX", _BIBTEX),)),
                self._bibtex_or_url(self.session.entry(pid)),
            )
        elif len(choices) == 1:
            use(choices[0].url)
        else:
            verb = "Copy" if then == "copy" else "Open"
            self.app.push_screen(LinkPicker(f"{verb} which link?", choices), use)

    def action_copy_code(self) -> None:
        """``y``: the paper's one code link at once; with several or none, a picker of its
        code links and its BibTeX entry."""
        pid = self.current()
        if pid is None:
            return
        entry = self.session.entry(pid)
        urls = (link.url for link in paper_links(entry.paper) if link.kind == "code")
        safe = dict.fromkeys(url for raw in urls if (url := safe_url(raw)) is not None)
        code = tuple(Link(url, "code") for url in safe)
        if len(code) == 1:  # the morning's common case stays one key
            self.desk.copy_text(code[0].url)
            return
        any_link = self.desk.key_display("main.copy_link")
        hint = "" if code else f"This paper has no code link ({any_link} copies any link)."
        self.app.push_screen(LinkPicker("Copy which?", code, extras=(("BibTeX", _BIBTEX),),
                                        hint=hint), self._bibtex_or_url(entry))  # fmt: skip

    def action_copy_link(self) -> None:
        self._with_link(code_only=False, then="copy")

    def action_open_link(self) -> None:
        self._with_link(code_only=True, then="open", pages=True)

    def _bibtex_or_url(self, entry: Entry) -> Callable[[str | None], None]:
        """What a copy picker does with its answer: the BibTeX entry, a URL, or nothing."""

        def use(choice: str | None) -> None:
            if choice == _BIBTEX:
                key, bibtex = bibtex_of(entry)
                self.desk.copy_text(bibtex, label=f"BibTeX entry {key}")
            elif choice is not None:
                self.desk.copy_text(choice)

        return use
