"""Fixtures shared by every test folder: the fake Hugging Face API of the fetch tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from fake_hf import FakeHF, start_server


@pytest.fixture
def hf_server() -> Iterator[FakeHF]:
    """A fake Daily Papers API on 127.0.0.1 (see ``fake_hf``); ``.url`` is its endpoint."""
    fake, stop = start_server()
    try:
        yield fake
    finally:
        stop()


@pytest.fixture
def closed_port() -> str:
    """The endpoint of a port on 127.0.0.1 nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
