"""The client of Hugging Face's Daily Papers API: every page of one day's list, politely.

``GET {endpoint}/api/daily_papers?date=YYYY-MM-DD&limit=100&p=N``: pages start at 0 and a
page shorter than the limit is the last. The endpoint is ``https://huggingface.co`` unless
``$HF_ENDPOINT`` names another (the convention of Hugging Face's own tools: mirrors, tests).

Network behaviour (``FetchPolicy``): one deadline per request (the whole request, body
included); a connection error, a timeout, a 429 or a 5xx is tried again after an
exponential backoff with jitter, or after the server's ``Retry-After``, at most ``tries``
times in all; any other 4xx is final. Requests go one after another, never in parallel.

Nothing here reads the items: the JSON comes back as parsed, for ``captures.hf_json``.
Every failure is a ``FetchError`` whose message names the cause in one line
(``could not reach huggingface.co: connection refused``, ``timed out after 20 s``,
``HTTP 503 after 4 tries``); the caller adds which day it was.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import errno
import os
import random
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx
import orjson
import tenacity

from paperterm import __version__
from paperterm.errors import PapertermError
from paperterm.text import plural

ENDPOINT_ENV = "HF_ENDPOINT"
DEFAULT_ENDPOINT = "https://huggingface.co"
API_PATH = "/api/daily_papers"
PAGE_LIMIT = 100
"""Papers asked for per page: the most the API gives (its default is 50)."""
MAX_PAGES = 20
"""Pages read of one day at most: a real day has a few hundred papers at the very most,
so a server that keeps sending full pages is broken, not busy."""
MAX_PAGE_BYTES = 16 * 1024 * 1024
"""A page larger than this is refused: a full page of real papers is a few hundred KB."""

Sleep = Callable[[float], Awaitable[None]]


class FetchError(PapertermError):
    """A day could not be fetched. The message is the cause alone, in one line."""


class RateLimitedError(FetchError):
    """The server keeps refusing us for making too many requests: later days wait too."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How patient the client is.

    ``timeout`` is the deadline of one request, in seconds; ``tries`` the most times one
    request is made; the n-th retry waits between ``backoff * 2**(n-1) / 2`` and
    ``backoff * 2**(n-1)`` seconds (at most ``max_wait``), unless the server's
    ``Retry-After`` says how long; a ``Retry-After`` beyond ``max_wait`` is not waited for.
    """

    timeout: float = 20.0
    tries: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0


def resolve_endpoint(value: str | None = None) -> str:
    """The API's base URL: ``value``, else ``$HF_ENDPOINT``, else ``https://huggingface.co``.

    Raises PapertermError for anything but an http(s) URL.
    """
    endpoint = (value or os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT).strip().rstrip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PapertermError(
            f"{ENDPOINT_ENV}={endpoint!r} is not an http(s) URL (e.g. {DEFAULT_ENDPOINT})"
        )
    return endpoint


class _Refused(Exception):
    """A 429 or 5xx answer, which a later try may not get (``Retry-After`` in seconds)."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds from now: delay seconds or an HTTP date.

    None when absent or unreadable (the backoff applies then); never negative.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # str.isdigit alone takes '²' too
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _transient(error: BaseException) -> bool:
    """Whether a later try of the same request may succeed."""
    if isinstance(error, _Refused):
        return True
    if isinstance(error, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return False
    return isinstance(error, TimeoutError | httpx.TransportError)


def _os_reason(error: BaseException) -> str:
    """The system's words for why a connection failed (``connection refused``)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and (cause.strerror or cause.errno):
            # asyncio words a refused connection "Connect call failed (...)": the errno says
            # it better; a resolver error's errno is its own (socket.gaierror), not errno's
            words = cause.strerror or ""
            code = cause.errno
            if code is not None and code in errno.errorcode and not isinstance(
                cause, socket.gaierror
            ):
                words = os.strerror(code)
            return words[:1].lower() + words[1:]
        cause = cause.__cause__ or cause.__context__
    text = str(error).strip()
    if text.startswith("[Errno") and "] " in text:
        text = text.split("] ", 1)[1]
    return text.lower() if text else type(error).__name__


class DailyPapersClient:
    """An async client of the Daily Papers API; use it as ``async with``.

    ``sleep`` waits between tries (tests give one that records the waits); ``rng`` draws
    the jitter.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        policy: FetchPolicy | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.endpoint = resolve_endpoint(endpoint)
        self.host = urlsplit(self.endpoint).hostname or self.endpoint
        self.policy = policy or FetchPolicy()
        self.requests = 0  # requests made (every try counts)
        self._sleep = sleep
        self._rng = rng or random.Random()
        # httpx's timeout applies to each socket operation, not to the whole request (a
        # server that drips bytes would never time out): the deadline is _get's. Its
        # transport retries (``retries=N``) cover failed connections only, without jitter,
        # and httpx retries no status code at all: one tenacity policy covers every case.
        self._client = httpx.AsyncClient(
            base_url=self.endpoint,
            timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": f"paperterm/{__version__}", "Accept": "application/json"},
            follow_redirects=True,
        )

    async def __aenter__(self) -> DailyPapersClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    def source(self, day: dt.date) -> str:
        """The address of ``day``'s list, without paging: what its digest's source names."""
        return f"{self.endpoint}{API_PATH}?date={day.isoformat()}"

    @staticmethod
    def _params(day: dt.date, page: int) -> dict[str, str]:
        return {"date": day.isoformat(), "limit": str(PAGE_LIMIT), "p": str(page)}

    async def day(
        self, day: dt.date, on_page: Callable[[int], object] | None = None
    ) -> list[object]:
        """Every item of ``day``'s list, all pages joined, in the server's order.

        ``on_page(n)`` is called before page ``n`` (0-based) is asked for. Raises FetchError.
        """
        items: list[object] = []
        for page in range(MAX_PAGES):
            if on_page is not None:
                on_page(page)
            batch = await self.page(day, page)
            items.extend(batch)
            if len(batch) < PAGE_LIMIT:
                return items
        raise FetchError(
            f"{self.host} sent {MAX_PAGES} full pages for one day ({len(items)} papers); "
            "stopped there"
        )

    async def page(self, day: dt.date, page: int) -> list[object]:
        """One page of ``day``'s list: a JSON array. Raises FetchError."""
        body = await self._get(self._params(day, page))
        where = f"{self.host} (page {page + 1})"
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise FetchError(f"malformed JSON from {where}: {error}") from None
        if not isinstance(data, list):
            raise FetchError(
                f"unexpected JSON from {where}: a {type(data).__name__}, not a list of papers"
            )
        return data

    async def _get(self, params: dict[str, str]) -> bytes:
        """The body of a 2xx answer to ``GET API_PATH?params``, tried as the policy says."""
        policy = self.policy
        tries = 0

        def stop(state: tenacity.RetryCallState) -> bool:
            if state.attempt_number >= policy.tries:
                return True
            error = state.outcome.exception() if state.outcome else None
            wait = error.retry_after if isinstance(error, _Refused) else None
            return wait is not None and wait > policy.max_wait

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, _Refused) and error.retry_after is not None:
                return error.retry_after
            ceiling = min(policy.max_wait, policy.backoff * 2 ** (state.attempt_number - 1))
            return self._rng.uniform(ceiling / 2, ceiling)

        async def once() -> bytes:
            nonlocal tries
            tries += 1
            self.requests += 1
            async with asyncio.timeout(policy.timeout):
                return await self._once(params)

        retrying = tenacity.AsyncRetrying(
            stop=stop,
            wait=wait,
            retry=tenacity.retry_if_exception(_transient),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return await retrying(once)
        except _Refused as error:
            after = plural(tries, "try", "tries")
            if error.status == 429:
                asked = error.retry_after
                if asked is not None and asked > policy.max_wait:
                    raise RateLimitedError(
                        f"HTTP 429 after {after}: {self.host} asks to wait {asked:g} s"
                    ) from None
                raise RateLimitedError(f"HTTP 429 after {after}") from None
            raise FetchError(f"HTTP {error.status} after {after}") from None
        except (TimeoutError, httpx.TimeoutException):
            raise FetchError(f"timed out after {policy.timeout:g} s") from None
        except httpx.ConnectError as error:
            raise FetchError(f"could not reach {self.host}: {_os_reason(error)}") from None
        except httpx.HTTPError as error:
            raise FetchError(f"request to {self.host} failed: {_os_reason(error)}") from None

    async def _once(self, params: dict[str, str]) -> bytes:
        async with self._client.stream("GET", API_PATH, params=params) as response:
            status = response.status_code
            if status == 429 or 500 <= status <= 599:
                raise _Refused(status, retry_after_seconds(response.headers.get("Retry-After")))
            if not 200 <= status <= 299:
                raise FetchError(f"HTTP {status}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_PAGE_BYTES:
                    raise FetchError(
                        f"{self.host} sent more than {MAX_PAGE_BYTES // 2**20} MB for one page"
                    )
            return bytes(body)
