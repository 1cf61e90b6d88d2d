"""The network edge of ``newsbrief serve``: uvicorn's h11 protocol with the guards it lacks.

uvicorn closes idle keep-alive connections, but nothing else about a connection is bounded:
a client that connects and sends nothing, or half a request line (slowloris), holds a file
descriptor for ever, and a thousand of them take the process to its descriptor limit, after
which ``accept()`` fails and even ``/healthz`` stops answering. ``GuardedH11Protocol`` adds:

1. **A header timeout**: a connection that has not sent complete request headers within
   ``header_timeout`` seconds of connecting (or of the first byte of its next request) is
   closed, with a ``408`` if it had started a request.
2. **A connection limit**: at most ``max_connections`` open at once. At the limit a new
   connection closes the *oldest idle* one (never sent a whole request, then idle keep-alive;
   nginx does the same with its reusable connections), so a flood of idle sockets cannot
   lock out real clients; if every connection has a request in flight, the new one gets
   ``503`` and is closed at once.
3. **Lingering close**: when the server ends a connection while the client is still
   sending a request body (a ``413`` for a body over the limit, a ``400``), closing at once
   would leave unread data in the receive buffer and the kernel would answer with a TCP
   reset: clients that send the whole body before reading (Python's ``http.client``,
   ``requests``, many others) then see "broken pipe" instead of the ``413``. So the server
   half-closes (sends its FIN after the response), reads and discards what still arrives, at
   most ``linger_bytes`` for at most ``linger_seconds``, and only then closes (Apache's
   "lingering close").
4. **A bounded shutdown**: ``Server`` gives in-flight requests ``shutdown_timeout`` seconds
   after SIGTERM/SIGINT, then cancels them; should the application's own shutdown then hang
   (a worker stuck in CPU work), a watchdog ends the process ``exit_grace`` seconds later.
   The database is SQLite in WAL mode, so ending the process does not corrupt it.

``raise_open_files_limit`` lifts the soft ``RLIMIT_NOFILE`` to the hard limit at start, and
``default_max_connections`` sizes the limit well under it, leaving descriptors for the
database, worker processes and outbound fetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from types import FrameType
from typing import Any, cast

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "ConnectionGuard",
    "EdgeSettings",
    "GuardedH11Protocol",
    "Server",
    "build_server",
    "default_max_connections",
    "protocol_class",
    "raise_open_files_limit",
]

log = logging.getLogger(__name__)

DEFAULT_HEADER_TIMEOUT = 10.0  # seconds to send a request's headers; browsers and curl need milliseconds
DEFAULT_SHUTDOWN_TIMEOUT = 3.0  # seconds in-flight requests get after SIGTERM
# Lingering close after a refusal: enough to swallow a body a few times over the default 5 MB
# limit on a fast link, short enough that a hostile sender cannot keep the slot.
DEFAULT_LINGER_BYTES = 32 * 1024 * 1024
DEFAULT_LINGER_SECONDS = 5.0
# Descriptors kept back from the connection limit: SQLite (database, WAL, shm per connection),
# worker-process pipes, outbound fetch sockets, log files, the listening socket.
RESERVED_DESCRIPTORS = 256
MAX_DEFAULT_CONNECTIONS = 4096


def raise_open_files_limit() -> int:
    """Lift the soft ``RLIMIT_NOFILE`` to the hard limit; the soft limit in force afterwards.

    Why: many systems start processes with a soft limit of 1,024 descriptors while allowing
    far more; a server that holds one descriptor per connection should take what it may.
    """
    try:
        import resource
    except ImportError:  # not on Unix: nothing to raise, and no limit we could read
        return MAX_DEFAULT_CONNECTIONS * 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1_048_576)
        if target != resource.RLIM_INFINITY and target > soft:
            with contextlib.suppress(ValueError, OSError):  # macOS caps below the reported hard limit
                resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return int(resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def default_max_connections(open_files: int) -> int:
    """Half of what is left after the reserved descriptors, between 16 and 4,096."""
    return max(16, min(MAX_DEFAULT_CONNECTIONS, (open_files - RESERVED_DESCRIPTORS) // 2))


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeSettings:
    """How the server treats connections (``newsbrief serve`` options map onto it)."""

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    keep_alive: float = 15.0  # seconds an idle keep-alive connection stays open
    max_connections: int = 1024
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT
    exit_grace: float = 3.0  # after shutdown_timeout, seconds before the watchdog ends the process
    linger_bytes: int = DEFAULT_LINGER_BYTES
    linger_seconds: float = DEFAULT_LINGER_SECONDS
    backlog: int | None = None  # None: max_connections // 3 (see ``accept_backlog``)

    def __post_init__(self) -> None:
        if self.header_timeout <= 0 or self.keep_alive <= 0 or self.shutdown_timeout < 0:
            raise ValueError("timeouts must be positive")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")


class ConnectionGuard:
    """The open connections of one server, and which of them may be closed to make room.

    Two queues of idle connections, oldest first: ``fresh`` (no complete request yet, or
    lingering after a refusal: what a flood of idle sockets consists of) is evicted before
    ``kept`` (idle keep-alive after a served request: a real client's next request may come).
    """

    def __init__(self, settings: EdgeSettings) -> None:
        self.settings = settings
        self.open: set[GuardedH11Protocol] = set()
        self.fresh: OrderedDict[GuardedH11Protocol, None] = OrderedDict()
        self.kept: OrderedDict[GuardedH11Protocol, None] = OrderedDict()
        # Counters for logs, tests and the bench.
        self.evicted = 0
        self.refused = 0
        self.header_timeouts = 0
        self.lingered = 0

    def admit(self, conn: GuardedH11Protocol) -> bool:
        """Take ``conn`` in, closing idle connections to make room; False: no room (all busy)."""
        while len(self.open) >= self.settings.max_connections:
            queue = self.fresh or self.kept
            if not queue:
                self.refused += 1
                return False
            victim, _ = queue.popitem(last=False)
            self.open.discard(victim)
            self.evicted += 1
            victim.evict()
        self.open.add(conn)
        self.fresh[conn] = None
        return True

    def idle(self, conn: GuardedH11Protocol, *, kept: bool) -> None:
        """``conn`` waits for a request (``kept``: after serving one) and may be evicted."""
        if conn not in self.open:
            return
        self.busy(conn)
        (self.kept if kept else self.fresh)[conn] = None

    def busy(self, conn: GuardedH11Protocol) -> None:
        """``conn`` has a request in flight: it is not evicted."""
        self.fresh.pop(conn, None)
        self.kept.pop(conn, None)

    def forget(self, conn: GuardedH11Protocol) -> None:
        self.busy(conn)
        self.open.discard(conn)


def _plain_response(status: str, text: str) -> bytes:
    """A whole ``Connection: close`` response, for moments h11 cannot frame one (no request yet)."""
    body = text.encode("ascii")
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


_REQUEST_TIMEOUT = _plain_response("408 Request Timeout", "The request headers did not arrive in time.")
_UNAVAILABLE = _plain_response("503 Service Unavailable", "Too many connections; try again shortly.")


class _LingeringTransport:
    """The connection's transport as uvicorn sees it: ``close()`` lingers when it must.

    uvicorn closes the transport itself in several places (after a response with
    ``Connection: close``, after its own 400); routing every close through the protocol is
    the one place to decide whether the client is still sending.
    """

    def __init__(self, transport: asyncio.Transport, protocol: GuardedH11Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    def close(self) -> None:
        self._protocol.close_softly()

    def is_closing(self) -> bool:
        return self._protocol.lingering or self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header timeout, a connection limit and lingering close."""

    guard: ConnectionGuard  # set on the subclass ``protocol_class`` makes

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lingering = False
        self._raw: asyncio.Transport | None = None
        self._header_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._linger_left = 0
        self._partial = False  # bytes of a request whose headers are not complete yet

    # -- connection life ----------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._raw = transport
        self.transport = cast(asyncio.Transport, _LingeringTransport(transport, self))
        if not self.guard.admit(self):
            log.warning("connection limit (%d) reached with every connection busy: refusing one", len(self.guard.open))
            transport.write(_UNAVAILABLE)
            transport.close()
            return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.forget(self)
        self._disarm_header_timer()
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.lingering:  # after the answer: read and throw away, within the budget
            self._linger_left -= len(data)
            if self._linger_left < 0:
                self._end_linger()
            return
        waiting = self.conn.their_state is h11.IDLE
        super().data_received(data)
        if self.lingering:  # uvicorn answered 400 to what it read, and closed
            return
        if self.conn.their_state is not h11.IDLE:  # request headers complete: a request in flight
            self._partial = False
            self._disarm_header_timer()
            self.guard.busy(self)
        elif waiting and data:
            self._partial = True
            if self._header_timer is None:  # the first bytes of a later request on a kept connection
                self._arm_header_timer()

    def eof_received(self) -> None:
        if self.lingering:
            self._end_linger()
        # returning None: the transport closes itself

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self.conn.their_state is h11.IDLE:  # waiting for the next request on a kept connection
            self.guard.idle(self, kept=True)
            if self.conn.trailing_data[0]:  # part of the next request came with the last one
                self._partial = True
                if self._header_timer is None:
                    self._arm_header_timer()
        else:
            self._disarm_header_timer()
            self.guard.busy(self)

    def shutdown(self) -> None:
        if self.lingering:  # the server is stopping: no more courtesy to a client still sending
            self._end_linger()
            return
        super().shutdown()

    # -- the guards -----------------------------------------------------------------------

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self.guard.settings.header_timeout, self._header_timeout)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        raw = self._raw
        if raw is None or raw.is_closing() or self.lingering:
            return
        self.guard.header_timeouts += 1
        if self._partial:
            raw.write(_REQUEST_TIMEOUT)
        raw.close()

    def evict(self) -> None:
        """Close now to make room for a new connection (the guard has let go of it already)."""
        self._disarm_header_timer()
        if self._raw is not None and not self._raw.is_closing():
            self._raw.close()

    def close_softly(self) -> None:
        """Close; linger first if the client is still sending the request we answered."""
        raw = self._raw
        if raw is None or raw.is_closing() or self.lingering:
            return
        if self.conn.their_state in (h11.SEND_BODY, h11.ERROR) and raw.can_write_eof():
            self._linger(raw)
        else:
            raw.close()

    def _linger(self, raw: asyncio.Transport) -> None:
        self.lingering = True
        self.guard.lingered += 1
        self._disarm_header_timer()
        self._unset_keepalive_if_required()
        self._linger_left = self.guard.settings.linger_bytes
        self._linger_timer = self.loop.call_later(self.guard.settings.linger_seconds, self._end_linger)
        self.guard.idle(self, kept=False)  # done with: the first to go if room is needed
        raw.write_eof()  # FIN after the response; reading goes on
        raw.resume_reading()

    def _end_linger(self) -> None:
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        if self._raw is not None and not self._raw.is_closing():
            self._raw.close()


def accept_backlog(settings: EdgeSettings) -> int:
    """The listen backlog, which asyncio also uses as the number of connections it accepts per
    loop pass. A connection only reaches the guard two passes after its accept, so a flood can
    hold about three backlogs of accepted sockets beyond the limit; a third of the limit keeps
    that within the descriptors ``default_max_connections`` leaves, so ``accept()`` (and SQLite,
    and worker start-up) never meets EMFILE."""
    if settings.backlog is not None:
        return settings.backlog
    return max(64, min(2048, settings.max_connections // 3))


def protocol_class(settings: EdgeSettings) -> type[GuardedH11Protocol]:
    """A protocol class for one server: its connections share one ``ConnectionGuard``."""
    guard = ConnectionGuard(settings)
    return cast(type[GuardedH11Protocol], type("GuardedH11Protocol", (GuardedH11Protocol,), {"guard": guard}))


class Server(uvicorn.Server):
    """uvicorn's server with a watchdog: the process ends a bounded time after SIGTERM/SIGINT."""

    def __init__(self, config: uvicorn.Config, settings: EdgeSettings) -> None:
        super().__init__(config)
        self.edge = settings
        self._watchdog: threading.Timer | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._watchdog is None:
            limit = self.edge.shutdown_timeout + self.edge.exit_grace
            self._watchdog = threading.Timer(limit, _exit_now, args=(limit,))
            self._watchdog.daemon = True
            self._watchdog.start()


def _exit_now(limit: float) -> None:
    print(f"newsbrief: the shutdown took longer than {limit:g} s: exiting now", file=sys.stderr, flush=True)
    os._exit(1)


def build_server(app: Any, settings: EdgeSettings, *, log_level: str = "info", access_log: bool = True) -> Server:
    """The uvicorn server for ``app`` with the guarded protocol (h11, chosen explicitly)."""
    protocol = protocol_class(settings)
    config = uvicorn.Config(
        app,
        http=protocol,
        log_level=log_level,
        access_log=access_log,
        # uvicorn declares ints but hands both to call_later / wait_for, which take any float
        timeout_keep_alive=cast(int, settings.keep_alive),
        timeout_graceful_shutdown=cast(int, settings.shutdown_timeout),
        server_header=False,
        backlog=accept_backlog(settings),
    )
    return Server(config, settings)


def guard_of(server: uvicorn.Server) -> ConnectionGuard:
    """The connection guard of a server ``build_server`` made (for logs, tests and the bench)."""
    return cast(type[GuardedH11Protocol], server.config.http).guard
