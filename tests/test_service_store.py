"""The article store: migrations, dedup by content, FTS search, concurrent readers and writers.

The store itself needs only the standard library; nothing here starts a server.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from newsbrief import parse_text, summarize
from newsbrief.service.store import MIGRATIONS, Migration, Store, StoreError, content_hash, fts_query

SEED = (Path(__file__).parent / "fixtures" / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")


def article_dict(text: str, title: str | None = None) -> dict[str, Any]:
    article = parse_text(text, format="plain")
    article.title = title
    return article.to_dict()


def story(i: int) -> str:
    return (
        f"Story number {i} about the harbour.\n\n"
        f"The harbour master said on Monday that ship {i} had docked safely after a long voyage across the sea."
    )


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


def test_fresh_database_gets_every_migration_and_wal(tmp_path: Path) -> None:
    s = Store(tmp_path / "a.db")
    assert s.schema_version() == len(MIGRATIONS) == 2
    con = sqlite3.connect(tmp_path / "a.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [1, 2]
    assert all(r[1] for r in rows)
    con.close()
    assert s.migrate() == []  # idempotent
    s.close()
    again = Store(tmp_path / "a.db")
    assert again.migrate() == []
    again.close()


def test_migration_two_backfills_the_search_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Store(path, migrations=MIGRATIONS[:1])  # a database from before search existed
    assert old.schema_version() == 1
    con = old.connection()
    data = article_dict(SEED)
    con.execute(
        "INSERT INTO articles (id, content_hash, title, article_json, created_at) VALUES (?, ?, ?, json(?), ?)",
        ("abc", content_hash(None, data["body"]), None, __import__("json").dumps(data), "2024-01-01T00:00:00Z"),
    )
    old.close()
    new = Store(path)
    assert new.schema_version() == 2
    total, hits = new.search("interceptors")
    assert total == 1 and hits[0].id == "abc"
    new.close()


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 'x')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_a_new_migration_applies_once(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    Store(path).close()
    extra = Migration(3, "article language index", ("CREATE INDEX articles_by_source ON articles (source)",))
    s = Store(path, migrations=(*MIGRATIONS, extra))
    assert s.schema_version() == 3
    assert s.migrate() == []
    s.close()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Store(path)


def test_same_content_is_stored_once(store: Store) -> None:
    data = article_dict(SEED)
    summary = summarize(parse_text(SEED, format="plain")).to_dict()
    first = store.put(data, summary)
    second = store.put(data, summary)
    assert first.created and first.summary_created
    assert not second.created and not second.summary_created
    assert first.id == second.id == content_hash(None, data["body"])[:16]
    assert store.count() == 1
    other_settings = summarize(parse_text(SEED, format="plain"), "lead", n=1).to_dict()
    third = store.put(data, other_settings)
    assert not third.created and third.summary_created
    got = store.get(first.id)
    assert got is not None
    assert got["summary_count"] == 2
    assert got["summary"]["method"] == "lead"


def test_a_late_report_fills_in_a_missing_one(store: Store) -> None:
    data = article_dict(SEED)
    summary = summarize(parse_text(SEED, format="plain")).to_dict()
    rec = store.put(data, summary)
    assert store.get(rec.id)["faithfulness"] is None  # type: ignore[index]
    store.put(
        data, summary, analysis={"quotes": [{"speaker": "Fadi Hakura"}], "entities": []}, faithfulness={"score": 1}
    )
    got = store.get(rec.id)
    assert got is not None
    assert got["faithfulness"] == {"score": 1}
    assert store.search("speaker:hakura")[0] == 1


def test_search_ranks_title_hits_first(store: Store) -> None:
    store.put(article_dict(story(1) + " The ferry was late.", title="Harbour news"), None)
    store.put(
        article_dict(
            "The ferry is new.\n\nA ferry crossed the bay on Sunday morning with many people aboard.", title="Ferry day"
        ),
        None,
    )
    total, hits = store.search("ferry")
    assert total == 2
    assert hits[0].title == "Ferry day"
    assert hits[0].snippet[hits[0].marks[0][0] : hits[0].marks[0][1]].lower() == "ferry"
    assert store.search("title:harbour")[0] == 1
    assert store.search("ferr*")[0] == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("putin erdogan", '"putin" "erdogan"'),
        ('"St. Petersburg" talks', '"St. Petersburg" "talks"'),
        ("speaker:putin", 'speakers : "putin"'),
        ("Title:Erdogan", 'title : "Erdogan"'),
        ("turk*", '"turk"*'),
        ("a OR b", '"a" OR "b"'),
        ("OR a OR", '"a"'),
        ("at 10:30", '"at" "10:30"'),
        ('NEAR("x" y) AND -z', '"NEAR(" "x" "y)" "AND" "-z"'),
        ('say "hi', '"say" "hi"'),
    ],
)
def test_fts_query_quotes_everything(query: str, expected: str) -> None:
    assert fts_query(query) == expected


@pytest.mark.parametrize("query", ["", "   ", "— …", "OR", '""'])
def test_fts_query_without_words(query: str) -> None:
    with pytest.raises(ValueError):
        fts_query(query)


def test_concurrent_writers_and_readers_lose_nothing(tmp_path: Path) -> None:
    """8 writer threads (each its own connection) and 2 readers at once: every distinct article
    lands once; 8 threads posting the same article at once make one row."""
    store = Store(tmp_path / "busy.db")
    per_thread = 25
    errors: list[BaseException] = []
    ids: set[str] = set()
    same_ids: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    shared = article_dict(SEED)
    barrier = threading.Barrier(8)

    def writer(t: int) -> None:
        try:
            barrier.wait()
            rec = store.put(shared, None)  # all at once: one row
            with lock:
                same_ids.add(rec.id)
            for i in range(per_thread):
                rec = store.put(article_dict(story(t * 1000 + i)), None)
                assert rec.created
                with lock:
                    ids.add(rec.id)
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        try:
            while not stop.is_set():
                store.search("harbour")
                store.recent(limit=5)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for th in readers + writers:
        th.start()
    for th in writers:
        th.join(timeout=60)
    stop.set()
    for th in readers:
        th.join(timeout=10)
    assert not errors, errors[:3]
    assert len(ids) == 8 * per_thread
    assert len(same_ids) == 1
    assert store.count() == 8 * per_thread + 1
    assert store.search("harbour")[0] == 8 * per_thread
    store.close()
