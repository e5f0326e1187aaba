"""Two processes at once: nothing either of them writes is lost, in either direction.

The other process is always real: ``paperterm.cli.main`` in a fresh interpreter running a
few hundred commands (``CliLoop``), or plain ``python -m paperterm`` invocations. Meanwhile
this process holds an open Store (or a running TUI), writes other papers, other fields of
the same papers and the same field (tags) of the same papers, and refreshes in between.
At the end a fresh Store must hold every write of both sides.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import robust_workers as w
from robust_support import (
    USER,
    CliLoop,
    FakeSystem,
    Figures,
    cli,
    cli_env,
    digest_text,
    write_digest,
)
from textual.pilot import Pilot

from paperterm.digest import parse_digest
from paperterm.errors import UnknownPaperError
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp
from paperterm.tui.widgets.paper_list import STAR_MARK

JAN = [w.pid(t) for t in w.BASE_JAN]
FEB = [w.pid(t) for t in w.BASE_FEB]
WRITES = 300
LOOP_JOBS = 240


def seed(data: Path) -> None:
    with Store.open(data, USER) as store:
        for day, titles in ((w.BASE_DAY, w.BASE_JAN), (w.BASE_DAY_2, w.BASE_FEB)):
            text = digest_text(day, [(t, f"Abstract of {t}.") for t in titles])
            store.import_digest(parse_digest(text, source="base.txt"))


@pytest.mark.slow
def test_cli_process_and_open_store_lose_nothing(tmp_path: Path, figures: Figures) -> None:
    data = tmp_path / "store"
    seed(data)
    # The CLI side: stars on January papers, reads on February papers, a unique tag on
    # one paper of each per command.
    jobs: list[list[str]] = []
    cli_tags: dict[str, set[str]] = defaultdict(set)
    for i in range(WRITES):
        if i % 3 == 0:
            jobs.append(["star", JAN[i % 8]])
        elif i % 3 == 1:
            jobs.append(["tag", JAN[i % 8], FEB[i % 8], f"+cli-{i}"])
            cli_tags[JAN[i % 8]].add(f"cli-{i}")
            cli_tags[FEB[i % 8]].add(f"cli-{i}")
        else:
            jobs.append(["read", FEB[i % 8]])
    own_tags: dict[str, set[str]] = defaultdict(set)
    notes: dict[str, str] = {}
    refreshed_while_running = 0
    with Store.open(data, USER) as store:
        other = CliLoop(data, jobs, tmp_path / "cli", gates=3)
        for i in range(WRITES):
            # This side: notes on the CLI's papers (same paper, another field), its own tags
            # on them (same field), stars on the papers the CLI marks read.
            if i % 3 == 0:
                notes[JAN[i % 8]] = f"note {i}"
                store.set_note(JAN[i % 8], f"note {i}")
            elif i % 3 == 1:
                store.add_tags([JAN[(i + 3) % 8]], [f"own-{i}"])
                own_tags[JAN[(i + 3) % 8]].add(f"own-{i}")
            else:
                store.set_starred([FEB[i % 8]], True)
            if store.refresh() and other.running:
                refreshed_while_running += 1
            if i % (WRITES // 4) == WRITES // 4 - 1:  # the CLI's next quarter of jobs
                other.open_gate()
        other.finish()
        assert refreshed_while_running > 0, "the two processes never overlapped"
        store.refresh()
        seen = store.states()
    with Store.open(data, USER) as fresh:
        states = fresh.states()
    assert states == seen, "the open store's view after refresh equals the files"
    kept = 0
    for pid in JAN:
        state = states[pid]
        assert state.starred, pid
        assert state.note == notes[pid]
        assert cli_tags[pid] | own_tags[pid] == set(state.tags), pid
        kept += len(state.tags) + 1
    for pid in FEB:
        state = states[pid]
        assert state.starred and state.read, pid
        assert cli_tags[pid] == set(state.tags), pid
    cli_writes = WRITES  # every command left a mark checked above
    own_writes = WRITES
    figures(
        "concurrency: CLI process vs open Store",
        f"{cli_writes} CLI commands + {own_writes} Store writes, all kept "
        f"({sum(len(s.tags) for s in states.values())} tags, 16 notes/stars/reads checked; "
        f"{refreshed_while_running} refreshes saw the other process mid-run)",
    )


@pytest.mark.slow
def test_shell_loop_of_real_cli_invocations(tmp_path: Path, figures: Figures) -> None:
    """``python -m paperterm tag`` run by a shell loop while this process writes tags too."""
    data = tmp_path / "store"
    seed(data)
    runs = 30
    target = JAN[0]
    loop = (
        f'for i in $(seq 1 {runs}); do "$PY" -m paperterm tag {target} +sh-$i >/dev/null '
        '|| exit 1; done'
    )
    env = {**cli_env(data, tmp_path), "PY": sys.executable}
    shell = subprocess.Popen(["sh", "-c", loop], env=env, stderr=subprocess.PIPE, text=True)
    own = 0
    with Store.open(data, USER) as store:
        while (shell.poll() is None and own < 300) or own < runs:
            store.add_tags([target], [f"mine-{own}"])
            store.set_read([target], own % 2 == 0)
            store.refresh()
            own += 1
    _, err = shell.communicate(timeout=120)
    assert shell.returncode == 0, err
    with Store.open(data, USER) as fresh:
        tags = set(fresh.state(target).tags)
    assert {f"sh-{i}" for i in range(1, runs + 1)} <= tags
    assert {f"mine-{i}" for i in range(own)} <= tags
    assert len(tags) == runs + own
    figures("concurrency: shell loop of `python -m paperterm tag`",
            f"{runs} invocations + {own} Store writes on the same paper's tags, all kept")


@pytest.mark.slow
def test_import_races_state_writes(tmp_path: Path, figures: Figures) -> None:
    """One process imports digests (new papers, re-dated old ones); this one stars papers
    as soon as it sees them and tags the old ones. Nothing either side wrote is lost."""
    data = tmp_path / "store"
    seed(data)
    digests = tmp_path / "digests"
    imports = 40
    per = 10
    days = [dt.date(2024, 3, 1) + dt.timedelta(days=k) for k in range(imports)]
    titles = {k: [f"Raced paper {k}-{j}" for j in range(per)] for k in range(imports)}
    jobs = []
    for k, day in enumerate(days):
        papers = [(t, f"Abstract of {t}.") for t in titles[k]]
        papers += [(w.BASE_JAN[k % 8], "seen again"), (w.BASE_FEB[k % 8], "seen again")]
        jobs.append(["import", str(write_digest(digests / f"d-{day}.txt", day, papers))])
    starred: set[str] = set()
    tagged: dict[str, set[str]] = defaultdict(set)
    n = 0
    with Store.open(data, USER) as store:
        importer = CliLoop(data, jobs, tmp_path / "cli")
        while importer.running or n < 50:
            store.refresh()
            fresh = [p.id for p in store.papers() if p.id not in starred][:3]
            if fresh:
                store.set_starred(fresh, True)
                starred.update(fresh)
            pid = (JAN + FEB)[n % 16]
            store.add_tags([pid], [f"race-{n}"])
            tagged[pid].add(f"race-{n}")
            n += 1
        importer.finish()
        # a paper imported by the other process can be written by id right away
        late = w.pid(titles[imports - 1][-1])
        try:
            store.set_read([late], True)
        except UnknownPaperError:  # pragma: no cover - the store must find it
            pytest.fail("a write to a paper the other process imported failed")
    with Store.open(data, USER) as check:
        assert len(check) == 16 + imports * per
        new_ids = {w.pid(t) for k in titles for t in titles[k]}
        assert new_ids <= {p.id for p in check.papers()}
        raced = starred & new_ids
        assert raced, "no paper was starred while the import ran"
        assert all(check.state(pid).starred for pid in starred)
        for pid, tags in tagged.items():
            assert tags <= set(check.state(pid).tags), pid
        for k, day in enumerate(days):
            assert day in check.get(JAN[k % 8]).dates and day in check.get(FEB[k % 8]).dates
        assert check.state(late).read
    figures(
        "concurrency: import vs state writes",
        f"{imports} imports ({imports * per} new papers, {2 * imports} re-datings) raced "
        f"{n} tag writes and {len(starred)} stars ({len(raced)} on papers the other "
        "process had just imported): all kept",
    )


# ---------------------------------------------------------------- the TUI


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def make_app(store: Store, system: FakeSystem, tmp_path: Path) -> PapertermApp:
    return PapertermApp(Triage(store), copier=system.copy, opener=system.open, export_dir=tmp_path,
                        poll_seconds=3600)  # fmt: skip


def row_text(app: PapertermApp, pid: str) -> str:
    plist = app.main_screen.paper_list
    row = plist.row_of(pid)
    assert row is not None, pid
    plist.move_to(row)
    return plist.render_line(row - plist.scroll_offset.y).text


@pytest.mark.slow
async def test_tui_sees_cli_import_and_star_and_keeps_them(
    tmp_path: Path, system: FakeSystem
) -> None:
    data = tmp_path / "store"
    seed(data)
    new_titles = [f"Fresh from cron {i}" for i in range(5)]
    new_ids = [w.pid(t) for t in new_titles]
    digest = write_digest(tmp_path / "cron-2024-03-01.txt", dt.date(2024, 3, 1),
                          [(t, f"Abstract of {t}.") for t in new_titles])  # fmt: skip
    with Store.open(data, USER) as store:
        app = make_app(store, system, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert len(app.main_screen.paper_list.ids) == 16
            # cron imports, then the user stars and tags from a shell
            assert cli(data, "import", str(digest)).returncode == 0
            assert cli(data, "star", new_ids[2]).returncode == 0
            assert cli(data, "tag", JAN[0], "+from-shell").returncode == 0
            app.poll_store()
            await settle(app, pilot)
            shown = list(app.main_screen.paper_list.ids)
            assert len(shown) == 21 and set(new_ids) <= set(shown)
            assert shown[:5] == new_ids, "the newest digest comes first"
            assert STAR_MARK in row_text(app, new_ids[2])
            await settle(app, pilot)
            # keys pressed now write other fields: the CLI's star and tag must survive
            await pilot.press("r", "t", *"mine", "enter")
            await settle(app, pilot)
            assert "#from-shell" in row_text(app, JAN[0])
            await pilot.press("s", "t", *"seen", "enter")
            await settle(app, pilot)
    with Store.open(data, USER) as fresh:
        starred = fresh.state(new_ids[2])
        assert starred.starred and starred.read and starred.tags == ("mine",)
        base = fresh.state(JAN[0])
        assert base.starred and base.tags == ("from-shell", "seen")


@pytest.mark.slow
async def test_tui_keys_and_cli_loop_interleaved(
    tmp_path: Path, system: FakeSystem, figures: Figures
) -> None:
    """The user works through the list (star, read, tag) while a CLI process tags the same
    papers a hundred times; the TUI polls in between. Both sides' writes all survive."""
    data = tmp_path / "store"
    seed(data)
    with Store.open(data, USER) as probe:
        order = [p.id for p in probe.papers()]
    jobs = [["tag", order[i % 16], f"+loop-{i}"] for i in range(LOOP_JOBS)]
    pressed = overlapped = 0
    with Store.open(data, USER) as store:
        app = make_app(store, system, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            other = CliLoop(data, jobs, tmp_path / "cli", gates=3)
            for row in range(16):
                await pilot.press("s", "r")
                pressed += 2
                if row % 4 == 0:  # the tag dialog is slow to drive: every fourth paper
                    await pilot.press("t", *f"key-{row}", "enter")
                    pressed += 1
                await settle(app, pilot)
                overlapped += other.running
                app.poll_store()
                await settle(app, pilot)
                await pilot.press("j")
                if row % 4 == 3:  # a quarter of the CLI's jobs for each quarter of the rows
                    other.open_gate()
            other.finish()
            assert overlapped, "the CLI loop ended before the first key press"
            app.poll_store()
            await settle(app, pilot)
            shown = {pid: app.triage.store.state(pid) for pid in order}
    with Store.open(data, USER) as fresh:
        on_disk = {pid: fresh.state(pid) for pid in order}
    assert shown == on_disk, "after a poll the TUI shows exactly what is on disk"
    for row, pid in enumerate(order):
        state = on_disk[pid]
        assert state.starred and state.read, pid
        expected = {f"loop-{i}" for i in range(LOOP_JOBS) if i % 16 == row}
        expected |= {f"key-{row}"} if row % 4 == 0 else set()
        assert set(state.tags) == expected, pid
    figures("concurrency: TUI keys vs CLI loop",
            f"{pressed} TUI writes + {len(jobs)} CLI commands on the same 16 papers, all kept")


def _listed(data: Path, *query: str) -> list[str]:
    result = cli(data, "list", "--json", *query)
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_a_word_search_sees_what_another_process_imported_behind_the_cache(
    tmp_path: Path, figures: Figures
) -> None:
    """The index's cache file is current after `paperterm list`; then another process adds
    papers the file does not hold (through the Store, which leaves the cache alone): the next
    word search must see them (the stale cache is noticed, never trusted) and answer as an
    index built afresh."""
    data = tmp_path / "store"
    seed(data)
    before = _listed(data, "abstract")
    assert sorted(before) == sorted(JAN + FEB)
    with Store.open(data, USER) as other:  # another process: no cache upkeep
        text = digest_text(w.BASE_DAY_2, [("Quokka Ranging Study", "Abstract of quokkas.")])
        other.import_digest(parse_digest(text, source="other.txt"))
        added = w.pid("Quokka Ranging Study")
    assert _listed(data, "quokka") == [added]
    after = _listed(data, "abstract")
    assert sorted(after) == sorted([*JAN, *FEB, added])
    from paperterm.index_cache import index_path

    index_path(data).unlink()  # built afresh: the same answer
    assert _listed(data, "abstract") == after
    figures("concurrency: stale index cache", "an import behind the cache file noticed")
