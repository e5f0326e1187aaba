"""heap.no_gc pauses the cyclic collector and leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from paperterm.heap import no_gc, settle_heap


def test_no_gc_pauses_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with no_gc():
        assert not gc.isenabled()
        with no_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one found it off and left it off
    assert gc.isenabled()


def test_no_gc_restores_the_collector_after_an_error() -> None:
    with pytest.raises(ValueError), no_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_no_gc_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with no_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_settle_heap_freezes_what_is_alive() -> None:
    kept = [object() for _ in range(100)]
    try:
        settle_heap()
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


def test_a_command_run_in_process_gives_the_collector_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from paperterm.cli import main

    assert main(["list", "--data-dir", str(tmp_path), "--user", "u"]) == 0
    assert gc.isenabled()
