"""The article store: SQLite in WAL mode, FTS5 search, numbered schema migrations.

Why SQLite: one file, no server, safe for one writer and many readers at once in WAL mode,
and FTS5 gives ranked search over titles, bodies, highlights and speakers without another
service. Design points:

- **Identity by content**: an article's id is a hash of its title and body, so posting the
  same text twice gives the same id and no second row (``INSERT ... ON CONFLICT DO NOTHING``
  inside one write transaction, so two concurrent posts of the same text also end in one row).
- **Summaries apart**: one article can have summaries with different methods or settings;
  each (method, resolved settings) pair is stored once.
- **Durability**: every write is its own transaction committed before the request returns;
  WAL with ``synchronous=FULL`` keeps committed rows through a killed process (and power loss).
- **Concurrency**: one connection per thread (``sqlite3`` connections must not be shared
  between threads mid-use); writers take the lock up front (``BEGIN IMMEDIATE``) and wait up
  to ``busy_timeout`` for each other instead of failing.
- **Migrations**: ``schema_migrations`` records each applied numbered migration; opening a
  database applies the missing ones in one transaction and refuses a database newer than the
  code.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["MIGRATIONS", "Migration", "SearchHit", "Store", "StoreError", "StoredRecord", "fts_query"]


class StoreError(Exception):
    """The database cannot be used: newer schema than this code, or not a newsbrief store."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema step; statements run in order inside the migrating transaction."""

    version: int
    name: str
    statements: tuple[str, ...]


# The FTS row of one article, computed from the stored JSON (used by migration 2's backfill
# and on every write, so the index and the rows cannot drift apart).
_FTS_SELECT = """
SELECT a.rowid, coalesce(a.title, ''), coalesce(json_extract(a.article_json, '$.body'), ''),
  coalesce((SELECT group_concat(json_extract(h.value, '$.text'), char(10))
            FROM summaries s, json_each(s.summary_json, '$.highlights') h WHERE s.article_id = a.id), ''),
  coalesce((SELECT group_concat(DISTINCT coalesce(json_extract(q.value, '$.canonical'), json_extract(q.value, '$.speaker')))
            FROM json_each(a.analysis_json, '$.quotes') q), '')
FROM articles a
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles and summaries",
        (
            """CREATE TABLE articles (
                rowid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                content_hash TEXT NOT NULL UNIQUE,
                title TEXT,
                source TEXT,
                url TEXT,
                input_format TEXT,
                article_json TEXT NOT NULL,
                analysis_json TEXT,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE summaries (
                id INTEGER PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                method TEXT NOT NULL,
                settings_hash TEXT NOT NULL,
                summary_json TEXT NOT NULL,
                faithfulness_json TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (article_id, method, settings_hash)
            )""",
            "CREATE INDEX summaries_by_article ON summaries (article_id, id)",
            "CREATE INDEX articles_by_created ON articles (created_at)",
        ),
    ),
    Migration(
        2,
        "full-text search over titles, bodies, highlights and speakers",
        (
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, body, highlights, speakers, tokenize = 'unicode61 remove_diacritics 2')",
            "INSERT INTO articles_fts (rowid, title, body, highlights, speakers) " + _FTS_SELECT,
        ),
    ),
)

_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """What a write did: the article id and whether the article / summary rows are new."""

    id: str
    created: bool
    summary_created: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; ``snippet`` marks matched words as (start, end) offsets into ``text``."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    created_at: str
    lead: str
    snippet: str
    marks: list[tuple[int, int]]
    rank: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "created_at": self.created_at,
            "lead": self.lead,
            "snippet": {"text": self.snippet, "marks": [list(m) for m in self.marks]},
            "rank": self.rank,
        }


def content_hash(title: str | None, body: str) -> str:
    """The article's identity: sha256 over title and body (what a reader would call 'the same text')."""
    digest = hashlib.sha256()
    digest.update((title or "").encode("utf-8"))
    digest.update(b"\x00")
    digest.update(body.encode("utf-8"))
    return digest.hexdigest()


def settings_hash(method: str, settings: dict[str, Any]) -> str:
    """Identity of a summary's configuration: the method and its resolved settings."""
    data = {k: v for k, v in settings.items() if k != "explain"}
    text = json.dumps([method, data], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Store:
    """Articles, summaries and their search index in one SQLite file."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 10.0,
        synchronous: str = "FULL",
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self.synchronous = synchronous
        self.migrations = tuple(sorted(migrations, key=lambda m: m.version))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    # --- connections ------------------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (made on first use), in autocommit mode: we open transactions."""
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is not None:
            return con
        if self._closed:
            raise StoreError("the store is closed")
        # check_same_thread=False only so close() can close every thread's connection; each
        # connection is used by the one thread that made it.
        con = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
        con.row_factory = sqlite3.Row
        try:
            mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            con.close()
            raise StoreError(f"{self.path} is not a newsbrief database: {exc}") from None
        if mode.lower() != "wal" and self.path != ":memory:":
            con.close()
            raise StoreError(f"{self.path}: cannot switch to WAL mode (got {mode!r})")
        con.execute(f"PRAGMA synchronous={self.synchronous}")
        con.execute("PRAGMA foreign_keys=ON")
        self._local.con = con
        with self._lock:
            self._connections.append(con)
        return con

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: take the write lock now (wait up to busy_timeout), commit or roll back."""
        con = self.connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection (call once, at shutdown)."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for con in connections:
            with suppress(sqlite3.Error):
                con.close()
        self._local = threading.local()

    # --- schema -----------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks, all in one transaction; return their versions."""
        applied: list[int] = []
        with self._write() as con:
            con.execute(_MIGRATIONS_TABLE)
            done = {row[0] for row in con.execute("SELECT version FROM schema_migrations")}
            known = {m.version for m in self.migrations}
            newer = sorted(done - known)
            if newer and max(newer) > max(known, default=0):
                raise StoreError(
                    f"{self.path} has schema version {max(newer)}, newer than this newsbrief "
                    f"(knows up to {max(known, default=0)}); upgrade newsbrief"
                )
            for migration in self.migrations:
                if migration.version in done:
                    continue
                for statement in migration.statements:
                    con.execute(statement)
                con.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
                applied.append(migration.version)
        return applied

    def schema_version(self) -> int:
        """The highest applied migration."""
        row = self.connection().execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # --- writes -----------------------------------------------------------------------------

    def put(
        self,
        article: dict[str, Any],
        summary: dict[str, Any] | None,
        *,
        analysis: dict[str, Any] | None = None,
        faithfulness: dict[str, Any] | None = None,
    ) -> StoredRecord:
        """Store an article (once per content) and its summary (once per method and settings).

        ``article`` and ``summary`` are ``Article.to_dict()`` / ``Summary.to_dict()``. An
        analysis or faithfulness report missing from the stored row is filled in when a later
        post brings one (e.g. after the checker was installed).
        """
        full_hash = content_hash(article.get("title"), article.get("body", ""))
        article_id = full_hash[:16]
        now = _now()
        with self._write() as con:
            cur = con.execute(
                "INSERT INTO articles (id, content_hash, title, source, url, input_format, article_json,"
                " analysis_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (content_hash) DO NOTHING",
                (
                    article_id,
                    full_hash,
                    article.get("title"),
                    article.get("source"),
                    article.get("url"),
                    article.get("input_format"),
                    _dumps(article),
                    None if analysis is None else _dumps(analysis),
                    now,
                ),
            )
            created = cur.rowcount == 1
            row = con.execute(
                "SELECT rowid, id, created_at FROM articles WHERE content_hash = ?", (full_hash,)
            ).fetchone()
            changed = created
            if not created and analysis is not None:
                cur = con.execute(
                    "UPDATE articles SET analysis_json = ? WHERE rowid = ? AND analysis_json IS NULL",
                    (_dumps(analysis), row["rowid"]),
                )
                changed = changed or cur.rowcount == 1
            summary_created = False
            if summary is not None:
                method = summary.get("method", "")
                cur = con.execute(
                    "INSERT INTO summaries (article_id, method, settings_hash, summary_json, faithfulness_json,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, method, settings_hash) DO NOTHING",
                    (
                        row["id"],
                        method,
                        settings_hash(method, summary.get("settings") or {}),
                        _dumps(summary),
                        None if faithfulness is None else _dumps(faithfulness),
                        now,
                    ),
                )
                summary_created = cur.rowcount == 1
                if not summary_created and faithfulness is not None:
                    con.execute(
                        "UPDATE summaries SET faithfulness_json = ? WHERE article_id = ? AND method = ?"
                        " AND settings_hash = ? AND faithfulness_json IS NULL",
                        (_dumps(faithfulness), row["id"], method, settings_hash(method, summary.get("settings") or {})),
                    )
                changed = changed or summary_created
            if changed:
                con.execute("DELETE FROM articles_fts WHERE rowid = ?", (row["rowid"],))
                con.execute(
                    "INSERT INTO articles_fts (rowid, title, body, highlights, speakers) "
                    + _FTS_SELECT
                    + " WHERE a.rowid = ?",
                    (row["rowid"],),
                )
        return StoredRecord(
            id=row["id"], created=created, summary_created=summary_created, created_at=row["created_at"]
        )

    # --- reads ------------------------------------------------------------------------------

    def get(self, article_id: str) -> dict[str, Any] | None:
        """An article with its latest summary (and that summary's faithfulness report), or None."""
        con = self.connection()
        row = con.execute(
            "SELECT id, article_json, analysis_json, created_at FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        summaries = con.execute(
            "SELECT summary_json, faithfulness_json, created_at FROM summaries WHERE article_id = ? ORDER BY id DESC",
            (article_id,),
        ).fetchall()
        latest = summaries[0] if summaries else None
        return {
            "id": row["id"],
            "created_at": row["created_at"],
            "article": json.loads(row["article_json"]),
            "summary": json.loads(latest["summary_json"]) if latest else None,
            "analysis": json.loads(row["analysis_json"]) if row["analysis_json"] else None,
            "faithfulness": json.loads(latest["faithfulness_json"]) if latest and latest["faithfulness_json"] else None,
            "summary_count": len(summaries),
        }

    def count(self) -> int:
        """Number of stored articles."""
        return int(self.connection().execute("SELECT count(*) FROM articles").fetchone()[0])

    def recent(self, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """The latest stored articles, newest first."""
        rows = self.connection().execute(
            "SELECT id, title, source, url, created_at, substr(json_extract(article_json, '$.body'), 1, 240) AS lead"
            " FROM articles ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            SearchHit(r["id"], r["title"], r["source"], r["url"], r["created_at"], r["lead"] or "", "", [], 0.0)
            for r in rows
        ]

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> tuple[int, list[SearchHit]]:
        """Ranked full-text search (see ``fts_query`` for the syntax); returns (total, hits)."""
        match = fts_query(query)
        con = self.connection()
        total = int(con.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)).fetchone()[0])
        # bm25 weights: title, body, highlights, speakers. A hit in the title or the highlights
        # says more about what the article is about than one deep in the body.
        rows = con.execute(
            "SELECT a.id, a.title, a.source, a.url, a.created_at,"
            " substr(json_extract(a.article_json, '$.body'), 1, 240) AS lead,"
            " snippet(articles_fts, -1, char(2), char(3), '…', 24) AS snip,"
            " bm25(articles_fts, 8.0, 1.0, 4.0, 4.0) AS rank"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            (match, limit, offset),
        ).fetchall()
        hits = []
        for r in rows:
            text, marks = _unmark(r["snip"] or "")
            hits.append(
                SearchHit(
                    r["id"],
                    r["title"],
                    r["source"],
                    r["url"],
                    r["created_at"],
                    r["lead"] or "",
                    text,
                    marks,
                    round(-float(r["rank"]), 4),
                )
            )
        return total, hits


def _unmark(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """Turn FTS5's \\x02...\\x03 match markers into plain text plus (start, end) offsets."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    pos = 0
    start = -1
    for ch in snippet:
        if ch == "\x02":
            start = pos
        elif ch == "\x03":
            if start >= 0:
                marks.append((start, pos))
            start = -1
        else:
            out.append(ch)
            pos += 1
    return "".join(out), marks


_COLUMNS = {
    "title": "title",
    "body": "body",
    "highlight": "highlights",
    "highlights": "highlights",
    "speaker": "speakers",
    "speakers": "speakers",
}
_TERM = re.compile(r'(?:(?P<col>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


def fts_query(query: str) -> str:
    """Translate a user's search box into a safe FTS5 query.

    Words are ANDed; ``"a phrase"`` stays a phrase; ``word*`` is a prefix; ``OR`` between
    terms; ``title:``, ``body:``, ``highlights:`` and ``speaker:`` limit a term to a column.
    Everything is quoted, so FTS5 syntax in the input cannot cause a syntax error.
    """
    parts: list[str] = []
    for m in _TERM.finditer(query):
        col, phrase, word = m.group("col"), m.group("phrase"), m.group("word")
        if word == "OR" and not col:
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        if col and col.lower() not in _COLUMNS:  # "10:30" or "http:" - not a column filter
            word = f"{col}:{word or phrase or ''}"
            phrase, col = None, None
        text = phrase if phrase is not None else (word or "")
        prefix = phrase is None and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if not re.search(r"\w", text):
            continue
        term = '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")
        if col:
            term = f"{_COLUMNS[col.lower()]} : {term}"
        parts.append(term)
    while parts and parts[-1] == "OR":
        parts.pop()
    if not parts:
        raise ValueError("the query has no words to search for")
    return " ".join(parts)
