"""Thumbs up/down on answers, kept in a SQLite file beside the index."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

FILE_NAME = "feedback.sqlite3"
MAX_TEXT = 20_000  # longest question or answer kept, in characters

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    page TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    helpful INTEGER NOT NULL
)
"""


class FeedbackStore:
    """Appends feedback; safe to share between the threads of one server."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, question: str, answer: str, helpful: bool, page: str) -> None:
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = (at, page, question[:MAX_TEXT], answer[:MAX_TEXT], int(helpful))
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO feedback (at, page, question, answer, helpful) VALUES (?, ?, ?, ?, ?)", row)

    def all(self) -> list[dict]:
        """Every record, oldest first."""
        if not self.path.exists():
            return []
        with self._lock, self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM feedback ORDER BY id")]

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path)) as db, db:
            db.execute(_SCHEMA)
            yield db
