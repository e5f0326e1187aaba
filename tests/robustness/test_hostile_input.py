"""Hostile or broken input: huge digests, folders of junk, and text that tries to take over
the terminal (Rich/Textual markup, ANSI and OSC escapes, C1 controls, bidi overrides).

Whatever a digest, a tag or a note holds, it shows literally and never reaches a terminal
or a file as a control sequence: in ``paperterm list``/``show``/``export`` and in the TUI.
Only http(s) links are ever copied or opened.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from robust_support import (
    USER,
    FakeSystem,
    Figures,
    NoClipboard,
    cli,
    cli_env,
    digest_text,
    forbidden_in,
    write_digest,
)
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from paperterm.digest import paper_id, paper_key, parse_digest
from paperterm.links import extract_links
from paperterm.model import Digest, Link, ParsedPaper
from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp
from paperterm.tui.screens.dialogs import LinkPicker

DAY = dt.date(2025, 9, 9)
MARKUP = "[bold red]x[/]"
LINK_MARKUP = "[link=https://evil.example]click[/link]"
HOSTILE_TITLE = (
    f"{MARKUP} \x1b[31mRed\x1b[0m {LINK_MARKUP} \x1b]8;;https://evil.example\x07hidden\x1b]8;;\x07"
    " \x1b]52;c;cm0gLXJmIH4=\x07 \x9b31mC1\x9b0m \u202eevil\u202c \u2066iso\u2069 Title"
)
HOSTILE_ABSTRACT = (
    f"We show {MARKUP} and {LINK_MARKUP}. \x1b[2J\x1b[H Cleared? \x1b]0;window title\x07 "
    "\x9d52;c;aGk=\x9c \x1bP+q\x1b\\ \u200fmixed\u200e. Code: https://github.com/safe/repo."
)
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
BAD_SCHEMES = ("javascript:alert(1)", "file:///etc/passwd", "ftp://files.example/x",
               "data:text/html,<script>alert(1)</script>", "vbscript:msgbox")  # fmt: skip


def pid(title: str) -> str:
    return paper_id(paper_key(title))


def assert_terminal_safe(text: str, where: str) -> None:
    """No ESC, no C0 but tab/newline, no C1, no bidi control anywhere in ``text``."""
    assert "\x1b" not in text, where
    assert not forbidden_in(text), (where, forbidden_in(text))


def assert_bytes_safe(data: bytes, where: str) -> None:
    assert b"\x1b" not in data, where
    assert_terminal_safe(data.decode("utf-8"), where)


# ---------------------------------------------------------------- big and broken files


def fifty_megabytes(path: Path) -> int:
    """The sample digest repeated with a unique suffix on every title, to 50 MB."""
    text = sample_digest_paths()[0].read_text(encoding="utf-8")
    head, date_line, body = text.partition("Sep 9\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    pairs = list(zip(paragraphs[0::2], paragraphs[1::2], strict=False))
    size, copy = 0, 0
    with path.open("w", encoding="utf-8") as out:
        out.write(head + date_line + "\n")
        while size < 50_000_000:
            for title, abstract in pairs:
                chunk = f"{title} (copy {copy})\n\n{abstract}\n\n"
                size += out.write(chunk)
            copy += 1
    return copy * len(pairs)


@pytest.mark.slow
def test_50_mb_digest_imports(tmp_path: Path, figures: Figures) -> None:
    digest = tmp_path / "huge-2025-09-09.txt"
    papers = fifty_megabytes(digest)
    data = tmp_path / "store"
    out_file, err_file = tmp_path / "out.txt", tmp_path / "err.txt"
    started = time.perf_counter()
    with out_file.open("wb") as out, err_file.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "paperterm", "import", str(digest)],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=cli_env(data, tmp_path),
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, err_file.read_text()
    assert f": {papers} new, 0 already known" in out_file.read_text()
    with Store.open(data, USER) as store:
        assert len(store) == papers
    size = digest.stat().st_size
    peak_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    figures(
        "hostile: 50 MB digest via `paperterm import`",
        f"{size / 1e6:.0f} MB, {papers} papers in {elapsed:.1f} s, peak RSS {peak_mb:.0f} MB",
    )


def test_folder_of_mixed_files(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    good = [("A fine paper", "Its abstract."), ("Another fine paper", "Its abstract too.")]
    write_digest(folder / "daily-2025-09-09.txt", DAY, good)
    nested = [("A nested paper", "Found in a subfolder.")]
    write_digest(folder / "old" / "2025" / "daily-2025-09-01.txt", DAY, nested)
    (folder / "figure.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "saved-page.txt").write_text(
        "<!DOCTYPE html>\n<html><body><h1>Daily Papers</h1></body></html>\n", encoding="utf-8")
    (folder / "page.html").write_text("<html><body>Daily Papers</body></html>\n")
    (folder / "latin1.txt").write_bytes(
        digest_text(DAY, [("Pokémon Battles", "An abstract.")]).encode("latin-1"))
    (folder / "evil\x1b]52;c;aGk=\x07name.txt").write_bytes(b"\x1b]52;c;aGk=\x07")
    data = tmp_path / "store"
    result = cli(data, "import", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert_terminal_safe(result.stdout + result.stderr, "import output")
    errors = result.stderr.splitlines()
    by_file = {name: [line for line in errors if name in line]
               for name in ("figure.txt", "empty.txt", "saved-page.txt", "latin1.txt",
                            "evilname.txt", "figure.png", "page.html")}  # fmt: skip
    assert all(len(lines) == 1 for lines in by_file.values()), (by_file, errors)
    assert "binary file" in by_file["figure.txt"][0]
    assert "empty file" in by_file["empty.txt"][0]
    assert "HTML page" in by_file["saved-page.txt"][0]
    assert "not UTF-8" in by_file["latin1.txt"][0] and "0xe9" in by_file["latin1.txt"][0]
    assert "not a capture file" in by_file["figure.png"][0]
    assert "html: no Daily Papers data in this HTML page" in by_file["page.html"][0]
    assert "6 of 8 inputs failed" in errors[-1]
    assert result.stdout.count(" new, ") == 2
    with Store.open(data, USER) as store:
        assert {p.title for p in store.papers()} == {t for t, _ in good + nested}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03binary\xff\xfe" * 10, "binary file"),
        (b"<html><head></head><body>Sep 9</body></html>", "HTML page"),
        ("Sep 9\n\nCaf\xe9 paper\n\nAbstract.".encode("latin-1"), "not UTF-8"),
        (b"\xff\xfeS\x00e\x00p\x00", "no date line"),
        ("Sep 9\n\nT\n\nA".encode("utf-16-le"), "binary file"),
    ],
)
def test_broken_stdin_is_a_clear_error(tmp_path: Path, content: bytes, problem: str) -> None:
    result = cli(tmp_path / "store", "import", "-", stdin=content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first, summary = result.stderr.splitlines()
    assert first.startswith("paperterm: <stdin>: ") and problem in first
    assert summary == "paperterm: 1 of 1 inputs failed"
    assert not (tmp_path / "store" / "papers").exists()


# ---------------------------------------------------------------- escapes and markup


def hostile_store(data: Path) -> str:
    """A store holding one paper straight from a Digest (no parser to clean it) with hostile
    title, abstract and links, plus hostile tags and a note; returns its id."""
    links = (
        *(Link(url, "code") for url in BAD_SCHEMES),
        Link("https://github.com/safe/repo", "code"),
        Link("https://example.org/[/]x[bold", "project"),
    )
    paper = ParsedPaper(HOSTILE_TITLE, HOSTILE_ABSTRACT, links, 1)
    calm = ParsedPaper("A calm neighbour", "Nothing to see.", (), 3)
    with Store.open(data, USER) as store:
        result = store.import_digest(Digest(DAY, (paper, calm), "crafted"))
        hostile = result.new_ids[0]
        store.add_tags([hostile], [MARKUP, "\x1b[31mred", "[/]", "\u202eevil"])
        store.set_note(hostile, f"{OSC52}note {MARKUP}\n\x9b2Jsecond \u2066line")
        store.set_starred([hostile], True)
    return hostile


def test_parser_keeps_markup_literal_and_drops_every_escape() -> None:
    text = digest_text(DAY, [(HOSTILE_TITLE, HOSTILE_ABSTRACT)])
    (paper,) = parse_digest(text, source="hostile.txt").papers
    assert MARKUP in paper.title and LINK_MARKUP in paper.title
    assert_terminal_safe(paper.title + paper.abstract, "parsed paper")
    assert [link.url for link in paper.links] == ["https://github.com/safe/repo"]


def test_cli_output_is_terminal_safe(tmp_path: Path) -> None:
    data = tmp_path / "store"
    hostile = hostile_store(data)
    # tags and notes typed on the command line are cleaned too
    assert cli(data, "tag", hostile, f"+{OSC52}osc", "+\x9b1mc1").returncode == 0
    calm = pid("A calm neighbour")
    assert cli(data, "note", calm, "\x1b[31m[bold]noted[/bold]\u202e").returncode == 0
    for args in (["list"], ["list", "--json"], ["list", "red title"], ["show", hostile],
                 ["show", calm], ["export", "--full", "title"], ["export"]):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "paperterm", *args], capture_output=True,
            env=cli_env(data, tmp_path), timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, (args, result.stderr)
        assert_bytes_safe(result.stdout, " ".join(args))
        if "--json" in args:
            for line in result.stdout.decode().splitlines():
                assert_terminal_safe(json.dumps(json.loads(line), ensure_ascii=False), "json")
    listed = cli(data, "list").stdout
    assert MARKUP in listed and "#[/]" in listed and "#osc" in listed
    assert f"note: note {MARKUP}" in cli(data, "show", hostile).stdout
    assert "[bold]noted[/bold]" in cli(data, "show", calm).stdout
    exported = cli(data, "export", "--full").stdout
    assert r"\[bold red\]x\[/\]" in exported  # Markdown-escaped: shows literally
    for scheme in ("javascript:", "file:", "ftp:", "data:", "vbscript:"):
        assert scheme not in exported, scheme


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: PapertermApp) -> str:
    """What the terminal would show, as text."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_tui_shows_hostile_text_literally_and_keeps_working(tmp_path: Path) -> None:
    data = tmp_path / "store"
    hostile = hostile_store(data)
    system = FakeSystem()
    with Store.open(data, USER) as store:
        app = PapertermApp(Triage(store), copier=system.copy, opener=system.open,
                           export_dir=tmp_path,
                           poll_seconds=3600)  # fmt: skip
        async with app.run_test(size=(160, 45), notifications=True) as pilot:
            await settle(app, pilot)
            plist = app.main_screen.paper_list
            plist.move_to(plist.row_of(hostile) or 0)
            await settle(app, pilot)
            row = plist.render_line(plist.cursor - plist.scroll_offset.y).text
            assert row.lstrip().startswith("★") or "★" in row
            assert MARKUP in row and "\x1b" not in row
            detail = str(app.main_screen.query_one("#detail-body", Static).render())
            for literal in (MARKUP, LINK_MARKUP, "#[bold-red]x[/]", "#[/]", f"note {MARKUP}"):
                assert literal in detail, literal
            assert_terminal_safe(detail, "detail pane")
            assert MARKUP in screen_text(app)
            # every key on it works, including ones whose notifications echo hostile text
            await pilot.press("s")  # unstar
            await pilot.press("t", *"-[/] +[link=x]y", "enter")
            await settle(app, pilot)
            await pilot.press("e", *" [/bold] more", "ctrl+s")
            await settle(app, pilot)
            await pilot.press("y")  # its one web code link, at once
            await settle(app, pilot)
            assert system.copied == ["https://github.com/safe/repo"]
            await pilot.press("Y")  # two web links among seven: a picker of those two
            await settle(app, pilot)
            assert isinstance(app.screen, LinkPicker) and len(app.screen.links) == 2
            await pilot.press("2", "o")
            await settle(app, pilot)
            assert system.copied[-1] == "https://example.org/[/]x[bold"
            assert system.opened == ["https://github.com/safe/repo"]
            state = store.state(hostile)
            assert not state.starred and "[link=x]y" in state.tags and "[/]" not in state.tags
            assert "[/bold] more" in state.note and MARKUP in state.note
            # read, export the view (format, path), undo the read
            await pilot.press("r", "x", "enter", "enter", "u")
            await settle(app, pilot)
            assert app.is_running and not store.state(hostile).read
            svg = screen_text(app)
            assert "\x1b" not in svg and not forbidden_in(svg)
    for url in system.copied + system.opened:
        assert url.startswith(("https://", "http://")), url
    assert system.copied and system.opened


async def test_only_web_links_are_copied_or_opened(tmp_path: Path) -> None:
    data = tmp_path / "store"
    links = tuple(Link(url, kind) for url, kind in zip(BAD_SCHEMES, ("code", "other") * 3,
                                                       strict=False))  # fmt: skip
    with Store.open(data, USER) as store:
        only_bad = store.import_digest(Digest(DAY, (
            ParsedPaper("Only bad links", "Abstract.", links, 1),
            ParsedPaper("One good link", "Abstract.",
                        (*links, Link("http://ok.example/p", "other")), 3),
            ParsedPaper("Control in a web link", "Abstract.",
                        (Link("https://ok.example/\x1b]52;c;aGk=\x07", "code"),), 5),
        ), "crafted")).new_ids  # fmt: skip
        system = NoClipboard()  # also the OSC 52 path: app.clipboard is what the terminal gets
        app = PapertermApp(Triage(store), copier=system.copy, opener=system.open,
                           export_dir=tmp_path,
                           poll_seconds=3600)  # fmt: skip
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(app, pilot)
            plist = app.main_screen.paper_list
            copied: list[str] = []  # what reached the terminal's clipboard (OSC 52)
            to_terminal = app.copy_to_clipboard

            def record(text: str) -> None:
                copied.append(text)
                to_terminal(text)

            app.copy_to_clipboard = record  # type: ignore[method-assign]
            for paper in only_bad:
                plist.move_to(plist.row_of(paper) or 0)
                await settle(app, pilot)
                for key in ("y", "Y", "o"):
                    await pilot.press(key)
                    await settle(app, pilot)
                    if isinstance(app.screen, LinkPicker):
                        urls = [link.url for link in app.screen.links]
                        assert all(u.startswith(("https://", "http://")) for u in urls), urls
                        # y offers the BibTeX entry too, after the links: take a link
                        await pilot.press("1" if urls else "escape")
                        await settle(app, pilot)
            assert app.is_running
    for url in copied + system.opened:
        assert url.startswith(("https://", "http://")), url
        assert_terminal_safe(url, "copied or opened")
    assert "http://ok.example/p" in copied and system.opened


def test_parser_never_produces_other_schemes() -> None:
    text = " ".join(
        [*BAD_SCHEMES, "JAVASCRIPT://github.com/a/b", "hxxps://evil.example/x",
         "file://github.com/a/b", "https://github.com/good/one", "github.com/bare/two",
         "ftp://github.com/a/b", "javascript:https://github.com/x/y"]
    )  # fmt: skip
    urls = [link.url for link in extract_links(text)]
    assert urls and all(url.startswith(("https://", "http://")) for url in urls), urls
    assert "https://github.com/good/one" in urls and "https://github.com/bare/two" in urls


async def test_escapes_pasted_into_the_tag_and_note_dialogs_are_dropped(tmp_path: Path) -> None:
    data = tmp_path / "store"
    with Store.open(data, USER) as store:
        text = digest_text(DAY, [("A plain paper", "A plain abstract.")])
        (paper,) = store.import_digest(parse_digest(text, source="d.txt")).new_ids
        system = FakeSystem()
        app = PapertermApp(Triage(store), copier=system.copy, opener=system.open,
                           export_dir=tmp_path,
                           poll_seconds=3600)  # fmt: skip
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("t")
            app.screen.query_one(Input).value = f"+{OSC52}osc \x1b[31mred\u202e [b]x[/b]"
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("e")
            app.screen.query_one(TextArea).insert(f"{OSC52}pasted\x9b2J \u2066[i]note[/i]")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.is_running
            state = store.state(paper)
            assert set(state.tags) == {"osc", "red", "[b]x[/b]"}
            assert state.note == "pasted [i]note[/i]"
            assert_terminal_safe(screen_text(app), "screen")
