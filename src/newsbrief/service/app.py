"""The web service: a FastAPI app over the pipeline and the store, plus the web page.

Request life: the body limit (``middleware``) counts bytes as they arrive; the handler reads
and validates the input and the method (only methods the operator enabled, only settings a
client may set), fetches a URL if asked (``fetch``, SSRF-checked), then runs the CPU work in a
worker process (``workers``) and the database write in a thread, all under one per-request
time limit. Errors leave as ``{"error": {"code", "status", "message", "details"}}`` with the
stable codes of ``errors.ERROR_CODES``.

Why worker processes: a request that runs out of time must really stop, or a few hostile
requests keep every core busy after their clients got a 504. A worker past the deadline is
killed and replaced; other requests keep their workers.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from newsbrief import __version__
from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import safejson
from newsbrief.ingest.decode import check_encoding
from newsbrief.service import pipeline
from newsbrief.service.config import ServiceConfig
from newsbrief.service.errors import ERROR_CODES, ServiceError, error_body
from newsbrief.service.fetch import fetch_url
from newsbrief.service.middleware import BodyLimitMiddleware, RequestGuardMiddleware, SecurityHeadersMiddleware
from newsbrief.service.models import (
    ArticleInput,
    ArticleRequest,
    CheckRequest,
    ErrorResponse,
    RecordResponse,
    StoredRecordResponse,
    SummarizeRequest,
)
from newsbrief.service.store import Store, content_hash
from newsbrief.service.workers import JobError, JobTimeout, WorkerPool

__all__ = ["STATIC_DIR", "create_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
A = TypeVar("A", bound=ArticleInput)

_BACKSTOP = 0.25  # seconds after a request's deadline at which the handler itself is cancelled
_JSON_TYPES = ("application/json",)
_RAW_TYPES = ("text/plain", "text/html", "application/xhtml+xml", "text/markdown", "application/octet-stream")
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class _State:
    """What the handlers share: config, store, worker pool."""

    def __init__(self, config: ServiceConfig, fetch_transport: Any = None) -> None:
        self.config = config
        self.store = Store(config.db_path, busy_timeout=config.busy_timeout, synchronous=config.synchronous)
        self.pool = WorkerPool(config.workers, pipeline.run_job)
        # Threads that wait on worker processes and write to the store; reads (GET, search: a few
        # ms of SQLite) have their own, so they never queue behind articles being processed.
        threads = max(config.worker_threads, 2 * config.workers)
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="newsbrief-worker")
        self.readers = ThreadPoolExecutor(max_workers=config.worker_threads, thread_name_prefix="newsbrief-reader")
        self.fetch_transport = fetch_transport

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run blocking work in the pool; if the request times out first, queued work is dropped."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args, **kwargs))

    async def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a database read in the readers' pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.readers, functools.partial(fn, *args, **kwargs))

    async def limited(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await the whole handler under the request time limit. Work in a worker process has the
        same deadline and is stopped there first; this outer limit (a moment later) is the backstop
        for everything else (reading the body, fetching)."""
        limit = self.config.request_timeout
        try:
            async with asyncio.timeout(limit + _BACKSTOP):
                return await coro
        except TimeoutError:
            raise ServiceError("timeout", f"the request took longer than the {limit:g} s limit") from None

    async def job(self, job: pipeline.Job, deadline: float) -> pipeline.Done:
        """Run a job in a worker process until ``deadline`` (monotonic); errors as ServiceErrors."""
        try:
            return await self.run(self.pool.call, job, deadline - time.monotonic())
        except JobTimeout as exc:
            limit = self.config.request_timeout
            raise ServiceError("timeout", f"the request took longer than the {limit:g} s limit ({exc})") from None
        except JobError as exc:  # kind: the stable code from the pipeline's one error table
            if exc.kind == "internal_error" or exc.kind not in ERROR_CODES:
                log.error("request failed in a worker: %s", exc.message)
                raise ServiceError("internal_error", f"internal error: {exc.message.split(':')[0]}") from None
            raise ServiceError(exc.kind, exc.message) from None

    def close(self) -> None:
        self.pool.close()
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.readers.shutdown(wait=True, cancel_futures=True)
        self.store.close()


# --- reading requests -----------------------------------------------------------------------


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type", "")
    mime, _, rest = raw.partition(";")
    params = {}
    for part in rest.split(";"):
        key, eq, value = part.strip().partition("=")
        if eq:
            params[key.lower()] = value.strip().strip('"')
    return mime.strip().lower(), params


def _validate(model: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise ServiceError("invalid_json", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors(include_url=False)]
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ServiceError("invalid_request", f"{where}: {first['msg']}", details=errors) from None


def _is_json(mime: str) -> bool:
    return mime in _JSON_TYPES or (mime.startswith("application/") and mime.endswith("+json"))


async def _read_request(
    request: Request, model: type[A], *, raw_allowed: bool = True
) -> tuple[A, pipeline.RawInput | None]:
    """The options (validated by ``model``) and, for raw bodies and uploads, the article bytes."""
    mime, params = _media_type(request)
    if _is_json(mime):
        body = await request.body()
        try:
            data = safejson.loads(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ServiceError("invalid_json", f"the body is not valid UTF-8: {exc}") from None
        except safejson.JSONLimitError as exc:
            raise ServiceError("invalid_json", f"the body is not usable JSON: {exc}") from None
        return _validate(model, data), None
    if mime in _FORM_TYPES:
        return await _read_form(request, model)
    if mime in _RAW_TYPES or mime.startswith("text/"):
        if not raw_allowed:
            raise ServiceError("unsupported_media_type", "send this endpoint JSON or multipart form data")
        body = await request.body()
        options = _validate(model, dict(request.query_params))
        if options.sources():
            raise ServiceError(
                "invalid_request", "with a raw body, the article is the body: no text, html or url parameter"
            )
        fmt = options.format
        if fmt == "auto" and mime in ("text/html", "application/xhtml+xml"):
            fmt = "html"
        return options, pipeline.RawInput(body, format=fmt, name=options.name, encoding=params.get("charset"))
    what = f"Content-Type {mime!r}" if mime else "a body without Content-Type"
    raise ServiceError(
        "unsupported_media_type",
        f"{what} is not accepted; send application/json, text/plain, text/html, application/octet-stream "
        "or multipart/form-data",
    )


async def _read_form(request: Request, model: type[A]) -> tuple[A, pipeline.RawInput | None]:
    limit = max(1, request.app.state.service.config.max_body_bytes)
    try:
        form = await request.form(max_files=1, max_fields=50, max_part_size=limit)
    except StarletteHTTPException as exc:
        raise ServiceError("invalid_request", f"cannot read the form: {exc.detail}") from None
    fields: dict[str, Any] = {}
    upload: UploadFile | None = None
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if key != "file":
                raise ServiceError("invalid_request", f"unexpected file field {key!r}; upload the article as 'file'")
            upload = value
        elif key == "settings":
            try:
                fields[key] = safejson.loads(value) if value.strip() else {}
            except safejson.JSONLimitError as exc:
                raise ServiceError("invalid_json", f"the settings field is not usable JSON: {exc}") from None
        elif key == "summary" and model is CheckRequest:
            fields.setdefault("summary", []).append(value)
        elif key in ("analyze", "check"):
            fields[key] = value.lower() in ("1", "true", "on", "yes")
        else:
            fields[key] = value
    if isinstance(fields.get("summary"), list) and len(fields["summary"]) == 1:
        fields["summary"] = fields["summary"][0]
    if upload is None:
        return _validate(model, fields), None
    options = _validate(model, fields)
    if options.sources():
        raise ServiceError("invalid_request", "give the article as the file or as text/html/url, not both")
    data = await upload.read()
    name = options.name or upload.filename
    charset = _charset(upload.content_type)
    fmt = options.format
    if fmt == "auto" and (upload.content_type or "").startswith("text/html"):
        fmt = "html"
    return options, pipeline.RawInput(data, format=fmt, name=name, encoding=charset)


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return None


async def _source(state: _State, options: ArticleInput, raw: pipeline.RawInput | None) -> pipeline.RawInput:
    """The article input: the raw body/upload, the text/html field, or the fetched URL."""
    if raw is not None:
        return raw
    given = options.sources()
    if len(given) != 1:
        raise ServiceError(
            "invalid_request",
            "give exactly one of text, html or url" + (f" (got {', '.join(given)})" if given else ""),
        )
    if options.text is not None:
        return pipeline.RawInput(options.text, format=options.format, name=options.name)
    if options.html is not None:
        return pipeline.RawInput(
            options.html, format="html" if options.format == "auto" else options.format, name=options.name
        )
    assert options.url is not None
    if not state.config.allow_url_fetch:
        raise ServiceError("url_fetch_disabled", "this server does not fetch URLs (start it with --allow-url-fetch)")
    fetched = await fetch_url(options.url, state.config.fetch, transport=state.fetch_transport)
    fmt = options.format
    if fmt == "auto" and fetched.content_type in ("text/html", "application/xhtml+xml"):
        fmt = "html"
    hops = f", {len(fetched.redirects)} redirect(s)" if fetched.redirects else ""
    notes = [f"fetched from {fetched.url} ({len(fetched.content)} bytes from {fetched.address}{hops})"]
    encoding = fetched.charset
    if encoding:  # a site's charset is a hint: a wrong one falls back to detection, with a note
        try:
            fetched.content.decode(check_encoding(encoding))
        except (InputError, LookupError, UnicodeError) as exc:
            notes.append(f"ignored the page's declared charset {encoding!r} ({type(exc).__name__})")
            encoding = None
    return pipeline.RawInput(
        fetched.content, format=fmt, name=options.name, encoding=encoding, url=fetched.url, notes=notes
    )


def _job(
    state: _State,
    source: pipeline.RawInput,
    options: ArticleRequest | SummarizeRequest,
    method: tuple[str, dict[str, Any]],
) -> pipeline.Job:
    name, settings = method
    return pipeline.Job(
        raw=source,
        max_bytes=state.config.max_body_bytes,
        method=name,
        settings=tuple(sorted(settings.items())),
        analyze=options.analyze,
        check=options.check,
        allow_private_backends=state.config.allow_private_backends,
    )


def _resolve(state: _State, options: ArticleRequest | SummarizeRequest) -> tuple[str, dict[str, Any]]:
    """The method and settings a client asked for, if this server allows them (before any work)."""
    try:
        return pipeline.resolve_method(options.method, options.settings, state.config.methods)
    except pipeline.NotEnabled as exc:
        raise ServiceError(exc.code, str(exc)) from None
    except UsageError as exc:
        raise ServiceError("invalid_request", str(exc)) from None


def _store(state: _State, done: pipeline.Done, deadline: float) -> tuple[dict[str, Any], bool]:
    """Store a processed article (in a thread); not after the deadline: the client has its 504.
    The answer is the record with the stored id as its ``id`` and where to find it again."""
    body = done.record
    article = body["article"]
    article_id = content_hash(article.get("title"), article.get("body", ""))[:16]
    if done.summary is not None:
        done.summary["article_id"] = article_id
    if time.monotonic() > deadline:
        raise ServiceError("timeout", "the request took longer than the time limit")
    t0 = time.perf_counter()
    stored = state.store.put(article, done.summary, analysis=body["analysis"], faithfulness=body["faithfulness"])
    body["timings"]["store"] = round(time.perf_counter() - t0, 6)
    body["id"] = stored.id
    body.update(created=stored.created, created_at=stored.created_at, href=f"/v1/articles/{stored.id}")
    return body, stored.created


# --- the app ---------------------------------------------------------------------------------

_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorResponse, "description": "Client error; `error.code` says which (see the error table)."},
    "5XX": {"model": ErrorResponse, "description": "Server or upstream error: `timeout`, `url_fetch_failed`, ..."},
}


def _body_doc(model: type[BaseModel], *, raw: bool) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if raw:
        text = {
            "schema": {"type": "string"},
            "description": "The article itself; options (format, name, method, analyze, check) as query parameters.",
        }
        content["text/plain"] = text
        content["text/html"] = text
        content["application/octet-stream"] = {"schema": {"type": "string", "format": "binary"}}
    content["multipart/form-data"] = {
        "schema": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "format": "binary", "description": "The article file (or use `text`)."},
                **{k: {"type": "string"} for k in model.model_fields if k != "settings"},
                "settings": {"type": "string", "description": "Method settings as a JSON object."},
            },
        }
    }
    return {"requestBody": {"required": True, "content": content}}


_DESCRIPTION = """
Raw news in, structured articles and source-linked highlights out.

Every error body is `{"error": {"code", "status", "message", "details"}}`; branch on `code`:

| code | status | when |
|---|---|---|
""" + "\n".join(
    f"| `{code}` | {status} | {when} |" for code, (status, when) in sorted(ERROR_CODES.items(), key=lambda kv: kv[1][0])
)


def create_app(config: ServiceConfig | None = None, *, fetch_transport: Any = None) -> FastAPI:
    """The service app. ``fetch_transport`` (an httpx transport) is for tests only."""
    config = config or ServiceConfig()
    state = _State(config, fetch_transport)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.get_running_loop().run_in_executor(None, state.pool.start)
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="newsbrief",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN; /docs is our own page over /openapi.json
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.service = state
    # Outermost last: security headers on everything, then the guards, then the body limit.
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.max_body_bytes)
    app.add_middleware(RequestGuardMiddleware, allowed_hosts=config.allowed_hosts)
    app.add_middleware(SecurityHeadersMiddleware)
    _exception_handlers(app)
    _api_routes(app, state)
    _page_routes(app)
    return app


def _error_response(exc: ServiceError) -> JSONResponse:
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=exc.headers or None)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _exception_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error_response(ServiceError("not_found", f"no such path: {request.url.path}"))
        if exc.status_code == 405:
            allow = ", ".join(_allowed_methods(request))
            err = ServiceError(
                "method_not_allowed",
                f"{request.method} is not allowed on {request.url.path}",
                headers={"Allow": allow} if allow else None,
            )
            return _error_response(err)
        return _error_response(ServiceError("invalid_request", str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return _error_response(ServiceError("invalid_request", f"{where}: {first['msg']}", details=errors))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(error_body("internal_error", f"internal error: {type(exc).__name__}"), status_code=500)


def _api_routes(app: FastAPI, state: _State) -> None:
    config = state.config

    @app.get("/healthz", tags=["service"], summary="Liveness and readiness")
    async def healthz() -> JSONResponse:
        """Whether the server and its database answer, and which optional features it has."""
        try:
            version = await state.limited(state.read(state.store.schema_version))
        except ServiceError:
            raise
        except Exception as exc:
            log.exception("health check failed")
            return JSONResponse({"status": "error", "error": f"{type(exc).__name__}: {exc}"}, status_code=503)
        return JSONResponse(
            {
                "status": "ok",
                "version": __version__,
                "schema_version": version,
                "features": {
                    "analysis": True,
                    "faithfulness": True,
                    "url_fetch": config.allow_url_fetch,
                    "methods": sorted(config.methods),
                },
                "limits": {"max_body_bytes": config.max_body_bytes, "request_timeout": config.request_timeout},
            }
        )

    @app.get("/v1/methods", tags=["summaries"], summary="The methods this server offers and their settings")
    async def list_methods() -> JSONResponse:
        """Each enabled method with the settings a request may set (type, default, range) and the
        names of the settings the operator fixed."""
        return JSONResponse({"methods": pipeline.describe_methods(config.methods)})

    @app.post(
        "/v1/articles",
        tags=["articles"],
        summary="Parse, summarize, analyze, check and store an article",
        status_code=201,
        responses={
            201: {"model": StoredRecordResponse, "description": "Stored as a new article."},
            200: {"model": StoredRecordResponse, "description": "The same article was stored before (same id)."},
            **_ERROR_RESPONSES,
        },
        openapi_extra=_body_doc(ArticleRequest, raw=True),
    )
    async def post_article(request: Request) -> JSONResponse:
        """Text, HTML, an upload or a URL in; the article, its highlights (with body spans), quotes
        with speakers, entities and the faithfulness report out, stored under a content-derived
        id. Posting the same text again returns the same id (200 instead of 201)."""

        async def work() -> JSONResponse:
            deadline = time.monotonic() + config.request_timeout
            options, raw = await _read_request(request, ArticleRequest)
            method = _resolve(state, options)
            source = await _source(state, options, raw)
            done = await state.job(_job(state, source, options, method), deadline)
            body, created = await state.run(_store, state, done, deadline)
            return JSONResponse(body, status_code=201 if created else 200, headers={"Location": body["href"]})

        return await state.limited(work())

    @app.get("/v1/articles", tags=["articles"], summary="Recently stored articles", responses=_ERROR_RESPONSES)
    async def list_articles(
        limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=1_000_000)
    ) -> JSONResponse:
        """Newest first, without bodies."""
        hits = await state.limited(state.read(state.store.recent, limit=limit, offset=offset))
        total = await state.limited(state.read(state.store.count))
        return JSONResponse({"total": total, "limit": limit, "offset": offset, "results": [h.to_dict() for h in hits]})

    @app.get(
        "/v1/articles/{article_id}",
        tags=["articles"],
        summary="A stored article",
        responses={200: {"model": StoredRecordResponse, "description": "The stored record."}, **_ERROR_RESPONSES},
    )
    async def get_article(article_id: str) -> JSONResponse:
        """The stored article as a record (its latest summary, analysis and faithfulness report),
        in the shape ``POST`` answered, whichever schema version stored it."""
        found = await state.limited(state.read(state.store.get, article_id))
        if found is None:
            raise ServiceError("not_found", f"no article with id {article_id!r}")
        return JSONResponse(pipeline.stored_record(found))

    @app.get(
        "/v1/search", tags=["articles"], summary="Full-text search over stored articles", responses=_ERROR_RESPONSES
    )
    async def search(
        q: str = Query(
            ...,
            min_length=1,
            max_length=500,
            description='Words (all must match), "a phrase", prefix*, OR, and column filters '
            "title:, body:, highlights:, speaker:.",
        ),
        limit: int = Query(20, ge=1, le=100),
        offset: int = Query(0, ge=0, le=1_000_000),
    ) -> JSONResponse:
        """Ranked by BM25 with title, highlight and speaker matches weighted above body matches."""
        if "\x00" in q:
            raise ServiceError("invalid_request", "q: the query contains a NUL character")
        try:
            total, hits = await state.limited(state.read(state.store.search, q, limit=limit, offset=offset))
        except ValueError as exc:
            raise ServiceError("invalid_request", f"q: {exc}") from None
        return JSONResponse(
            {"query": q, "total": total, "limit": limit, "offset": offset, "results": [h.to_dict() for h in hits]}
        )

    @app.post(
        "/v1/summarize",
        tags=["summaries"],
        summary="Parse and summarize an article (nothing stored)",
        responses={200: {"model": RecordResponse, "description": "The pipeline's record."}, **_ERROR_RESPONSES},
        openapi_extra=_body_doc(SummarizeRequest, raw=True),
    )
    async def post_summarize(request: Request) -> JSONResponse:
        """Like `POST /v1/articles` without storing; analysis and check only when asked."""

        async def work() -> JSONResponse:
            deadline = time.monotonic() + config.request_timeout
            options, raw = await _read_request(request, SummarizeRequest)
            method = _resolve(state, options)
            source = await _source(state, options, raw)
            done = await state.job(_job(state, source, options, method), deadline)
            return JSONResponse(done.record)

        return await state.limited(work())

    @app.post(
        "/v1/check",
        tags=["summaries"],
        summary="Check a summary's faithfulness to an article (nothing stored)",
        responses={
            200: {
                "model": RecordResponse,
                "description": "The record: `highlights` are the summary's units, each with its `support`; "
                "`faithfulness` holds the summary-level report.",
            },
            **_ERROR_RESPONSES,
        },
        openapi_extra=_body_doc(CheckRequest, raw=False),
    )
    async def post_check(request: Request) -> JSONResponse:
        """One highlight per summary unit (a list: each item; a text: each sentence), with its
        verdict, score, reasons (unsupported names, numbers, quotes, flips) and the article
        passages that back it; spans only where the article backs it, the closest passage of
        an unsupported one in `support.nearest`. A score and a verdict for the whole summary."""

        async def work() -> JSONResponse:
            deadline = time.monotonic() + config.request_timeout
            options, raw = await _read_request(request, CheckRequest, raw_allowed=False)
            source = await _source(state, options, raw)
            summary = options.summary if isinstance(options.summary, str) else tuple(options.summary)
            job = pipeline.Job(raw=source, max_bytes=config.max_body_bytes, summary=summary)
            done = await state.job(job, deadline)
            return JSONResponse(done.record)

        return await state.limited(work())


def _page_routes(app: FastAPI) -> None:
    def page(name: str) -> Callable[[], Coroutine[Any, Any, Response]]:
        async def serve() -> Response:
            return FileResponse(STATIC_DIR / name, media_type="text/html", headers={"Cache-Control": "no-cache"})

        return serve

    for path, name in (("/", "index.html"), ("/search", "search.html"), ("/docs", "docs.html")):
        app.add_api_route(path, page(name), methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
