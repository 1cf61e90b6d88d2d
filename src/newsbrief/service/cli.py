"""``newsbrief serve``: run the web service (API, web page, article store) with uvicorn.

Register it in the main group with ``cli.add_command(serve_command, "serve")``. Importing
this module loads only click: FastAPI and uvicorn are optional (the ``service`` extra) and
imported when the command runs, so other commands neither need nor pay for them.

The operator decides at start which summarization methods the service offers and fixes
their backend settings (``--allow-method llm:base_url=...,model=...``, or the ``--llm-*`` and
``--hf-model`` shortcuts, or ``[methods.NAME]`` tables in a ``--config`` TOML file); clients
choose among those methods only. ``--print-config`` shows the settings in force and exits.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from newsbrief.errors import UsageError
from newsbrief.summarize.spec import parse_method

DEFAULT_PORT = 8000
_CONFIG_METHODS = "newsbrief.serve.config_methods"  # ctx.meta key: the [methods.*] tables of --config


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


def _load_config(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--config FILE``: its keys become the defaults of the other options (the command line wins)."""
    if value is None:
        return None
    try:
        with open(value, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"--config {value}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"--config {value}: not valid TOML: {exc}") from None
    names: dict[str, click.Parameter] = {}
    for p in ctx.command.params:
        if isinstance(p, click.Option) and p.name not in (None, "config", "print_config"):
            for spelling in (p.name, *(o.lstrip("-") for o in p.opts)):
                names[spelling.replace("_", "-")] = p
    methods = data.pop("methods", {})
    if not isinstance(methods, dict) or not all(isinstance(v, dict) for v in methods.values()):
        raise UsageError(f"--config {value}: 'methods' must hold tables such as [methods.llm]")
    defaults: dict[str, Any] = {}
    for key, item in data.items():
        option = names.get(key.replace("_", "-"))
        if option is None or option.name is None:
            raise UsageError(f"--config {value}: unknown setting {key!r}")
        if option.multiple and not isinstance(item, list):
            item = [item]
        defaults[option.name] = item
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    ctx.meta[_CONFIG_METHODS] = methods
    return value


def _operator_methods(
    ctx: click.Context,
    specs: tuple[str, ...],
    llm: Mapping[str, str | None],
    hf_model: str | None,
) -> dict[str, dict[str, Any]]:
    """Method name -> operator-fixed settings: the offline defaults, then the file, then the options."""
    from newsbrief.service.config import DEFAULT_METHODS
    from newsbrief.summarize.base import get_method

    methods: dict[str, dict[str, Any]] = {name: dict(settings) for name, settings in DEFAULT_METHODS.items()}

    def add(name: str, settings: Mapping[str, Any]) -> None:
        methods[name] = {**methods.get(name, {}), **settings}

    for name, settings in ctx.meta.get(_CONFIG_METHODS, {}).items():
        add(name, settings)
    for spec in specs:
        add(*parse_method(spec))
    fixed = {key: v for key, v in llm.items() if v is not None}
    if fixed:
        add("llm", fixed)
    if hf_model is not None:
        add("hf", {"model": hf_model})
    for name, settings in methods.items():
        get_method(name).coerce(settings)  # unknown method or setting, bad value: a UsageError now
    return methods


def _check_backend(url: str, *, allow_private: bool) -> None:
    """Refuse at start an llm ``base_url`` the guarded transport would refuse on every call."""
    import httpx

    from newsbrief.service.fetch import BACKEND_PORTS, FetchPolicy, GuardedTransport, url_port

    try:
        parsed = httpx.URL(url)
        host = parsed.raw_host.decode("ascii")
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise UsageError(f"llm base_url {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not host:
        raise UsageError(f"llm base_url {url!r} must be an http(s) URL with a host, such as http://127.0.0.1:11434/v1")
    port = url_port(parsed)
    if port not in BACKEND_PORTS:
        raise UsageError(f"llm base_url {url!r}: port {port} is not a destination")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            click.echo(f"newsbrief: warning: cannot resolve the llm backend {host!r} now ({exc})", err=True)
            return
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    guard = GuardedTransport(FetchPolicy(), allow_private=allow_private, allowed_ports=BACKEND_PORTS)
    for ip in addresses:
        problem = guard.problem(ip)
        if problem is not None:
            where = "" if str(ip) == host else f" ({host} resolves to {ip})"
            hint = "" if allow_private or "metadata" in problem else "; start with --allow-private-backend to allow it"
            raise UsageError(f"llm base_url {url} is {problem}{where}{hint}")


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
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker processes for the CPU work; one still busy at a request's deadline is killed and replaced.",
)
@click.option(
    "--threads", type=click.IntRange(1, 64), default=4, show_default=True, help="Threads for database reads and writes."
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
@click.option(
    "--header-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a connection has to send a request's headers; then it is closed (slowloris guard).",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=None,
    help="Connections open at once; at the limit the oldest idle one is closed to make room. "
    "Default: about half the open-file limit, at most 4096.",
)
@click.option(
    "--shutdown-timeout",
    type=click.FloatRange(min=0),
    default=3.0,
    show_default=True,
    help="Seconds requests in flight get after SIGTERM/Ctrl-C before they are cancelled.",
)
@click.option(
    "--allow-method",
    "allow_methods",
    multiple=True,
    metavar="SPEC",
    help="Offer a method besides highlights, lead and lead-words, with settings fixed by you: "
    "NAME[:key=value,...], e.g. llm:base_url=http://127.0.0.1:11434/v1,model=llama3.2 (repeatable).",
)
@click.option("--llm-base-url", metavar="URL", help="Offer the llm method with this OpenAI-compatible endpoint.")
@click.option("--llm-model", metavar="NAME", help="Offer the llm method with this model.")
@click.option(
    "--llm-api-key-env", metavar="VAR", help="Offer the llm method; its API key is in this environment variable."
)
@click.option("--hf-model", metavar="PATH", help="Offer the hf method with this model (directory or hub name).")
@click.option(
    "--allow-private-backend",
    is_flag=True,
    help="The llm endpoint may be a loopback or private address (a local Ollama). Metadata addresses never are.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    is_eager=True,
    expose_value=False,
    callback=_load_config,
    help="TOML file with these options as top-level keys (max_body_bytes = 1000000) and [methods.NAME] "
    "tables of fixed settings; options on the command line win.",
)
@click.option("--print-config", is_flag=True, help="Print the settings in force as JSON and exit.")
@click.option("--no-access-log", is_flag=True, help="Do not log every request.")
@click.pass_context
def serve_command(
    ctx: click.Context,
    host: str,
    port: int,
    db_path: str,
    max_body_bytes: int,
    request_timeout: float,
    workers: int,
    threads: int,
    allow_url_fetch: bool,
    fetch_timeout: float,
    fetch_max_bytes: int,
    log_level: str,
    allowed_hosts: tuple[str, ...],
    keep_alive: float,
    header_timeout: float,
    max_connections: int | None,
    shutdown_timeout: float,
    allow_methods: tuple[str, ...],
    llm_base_url: str | None,
    llm_model: str | None,
    llm_api_key_env: str | None,
    hf_model: str | None,
    allow_private_backend: bool,
    print_config: bool,
    no_access_log: bool,
) -> None:
    """Serve the API (/v1, OpenAPI at /openapi.json, docs at /docs) and the web page (/)."""
    try:
        from newsbrief.service.app import create_app
        from newsbrief.service.config import LOOPBACK_HOSTS, ServiceConfig
        from newsbrief.service.fetch import FetchPolicy
        from newsbrief.service.server import EdgeSettings, build_server, default_max_connections, raise_open_files_limit
        from newsbrief.service.store import StoreError
    except ImportError as exc:
        raise UsageError(
            f"newsbrief serve needs the service extras ({exc.name or exc}): pip install 'newsbrief[service]'"
        ) from None
    hosts: tuple[str, ...] | None = allowed_hosts or None
    if hosts is None and _is_loopback(host):
        hosts = LOOPBACK_HOSTS
    methods = _operator_methods(
        ctx, allow_methods, {"base_url": llm_base_url, "model": llm_model, "api_key_env": llm_api_key_env}, hf_model
    )
    if "llm" in methods:
        from newsbrief.summarize.llm import DEFAULT_BASE_URL

        _check_backend(str(methods["llm"].get("base_url", DEFAULT_BASE_URL)), allow_private=allow_private_backend)
    config = ServiceConfig(
        db_path=Path(db_path),
        max_body_bytes=max_body_bytes,
        request_timeout=request_timeout,
        worker_threads=threads,
        workers=workers,
        allow_url_fetch=allow_url_fetch,
        fetch=FetchPolicy(timeout=fetch_timeout, max_bytes=fetch_max_bytes),
        allowed_hosts=hosts,
        methods=methods,
        allow_private_backends=allow_private_backend,
    )
    open_files = raise_open_files_limit()
    edge = EdgeSettings(
        header_timeout=header_timeout,
        keep_alive=keep_alive,
        max_connections=max_connections or default_max_connections(open_files),
        shutdown_timeout=shutdown_timeout,
    )
    if print_config:
        effective = {
            "host": host,
            "port": port,
            "db": str(Path(db_path).resolve()),
            "allowed_hosts": list(hosts) if hosts is not None else None,
            "methods": methods,
            "allow_private_backends": allow_private_backend,
            "max_body_bytes": max_body_bytes,
            "request_timeout": request_timeout,
            "allow_url_fetch": allow_url_fetch,
            "open_files_limit": open_files,
            "header_timeout": edge.header_timeout,
            "keep_alive": edge.keep_alive,
            "max_connections": edge.max_connections,
            "shutdown_timeout": edge.shutdown_timeout,
        }
        click.echo(json.dumps(effective, indent=2, sort_keys=True))
        return
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
    server = build_server(app, edge, log_level=log_level, access_log=not no_access_log)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it stopped on: a normal stop
        server.run(sockets=[sock])
    click.echo("newsbrief: stopped", err=True)
