"""``newsbrief serve``: run the web service (API, web page, article store) with uvicorn.

Register it in the main group with ``cli.add_command(serve_command, "serve")``. Importing
this module loads only click: FastAPI and uvicorn are optional (the ``service`` extra) and
imported when the command runs, so other commands neither need nor pay for them.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
from pathlib import Path

import click

from newsbrief.errors import UsageError

DEFAULT_PORT = 8000


def _bind(host: str, port: int) -> socket.socket:
    """Bind the listening socket ourselves, so ``--port 0`` can report the port it got."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        family = socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="Port (0: any free one)."
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default="newsbrief.db",
    show_default=True,
    envvar="NEWSBRIEF_DB",
    help="SQLite database file for stored articles (created if missing). Env: NEWSBRIEF_DB.",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(min=1024),
    default=5_000_000,
    show_default=True,
    help="Largest request body; bigger ones get 413 while they stream in.",
)
@click.option(
    "--timeout",
    "request_timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds per request (reading, fetching, processing, storing); then 504.",
)
@click.option(
    "--threads", type=click.IntRange(1, 64), default=4, show_default=True, help="Worker threads for the CPU work."
)
@click.option(
    "--allow-url-fetch",
    is_flag=True,
    help="Let clients post a URL to fetch. Only public addresses on ports 80/443 are fetched (SSRF rules).",
)
@click.option(
    "--fetch-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds per URL fetch, all redirects.",
)
@click.option(
    "--fetch-max-bytes",
    type=click.IntRange(min=1024),
    default=5_000_000,
    show_default=True,
    help="Largest fetched page.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Host name the server answers for (repeatable). Default: the loopback names when listening on "
    "loopback (a guard against DNS rebinding), any name otherwise.",
)
@click.option(
    "--keep-alive",
    type=click.FloatRange(min=1),
    default=15.0,
    show_default=True,
    help="Seconds an idle keep-alive connection stays open.",
)
@click.option("--no-access-log", is_flag=True, help="Do not log every request.")
def serve_command(
    host: str,
    port: int,
    db_path: str,
    max_body_bytes: int,
    request_timeout: float,
    threads: int,
    allow_url_fetch: bool,
    fetch_timeout: float,
    fetch_max_bytes: int,
    log_level: str,
    allowed_hosts: tuple[str, ...],
    keep_alive: float,
    no_access_log: bool,
) -> None:
    """Serve the API (/v1, OpenAPI at /openapi.json, docs at /docs) and the web page (/)."""
    try:
        import uvicorn

        from newsbrief.service.app import create_app
        from newsbrief.service.config import LOOPBACK_HOSTS, ServiceConfig
        from newsbrief.service.fetch import FetchPolicy
        from newsbrief.service.store import StoreError
    except ImportError as exc:
        raise UsageError(
            f"newsbrief serve needs the service extras ({exc.name or exc}): pip install 'newsbrief[service]'"
        ) from None
    hosts: tuple[str, ...] | None = allowed_hosts or None
    if hosts is None and _is_loopback(host):
        hosts = LOOPBACK_HOSTS
    config = ServiceConfig(
        db_path=Path(db_path),
        max_body_bytes=max_body_bytes,
        request_timeout=request_timeout,
        worker_threads=threads,
        allow_url_fetch=allow_url_fetch,
        fetch=FetchPolicy(timeout=fetch_timeout, max_bytes=fetch_max_bytes),
        allowed_hosts=hosts,
    )
    try:
        app = create_app(config)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    sock = _bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"newsbrief: serving http://{shown}:{bound_port}/ (database {Path(db_path).resolve()})", err=True)
    if not _is_loopback(bound_host):
        click.echo("newsbrief: warning: listening beyond this machine; the API has no authentication", err=True)
    sys.stderr.flush()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=log_level,
            access_log=not no_access_log,
            timeout_graceful_shutdown=max(5, int(request_timeout)),
            timeout_keep_alive=int(keep_alive),
            server_header=False,
        )
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it stopped on: a normal stop
        server.run(sockets=[sock])
    click.echo("newsbrief: stopped", err=True)
