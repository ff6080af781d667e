"""Answering in worker processes, so `serve` uses every core despite the interpreter lock.

The server's front process keeps the web app (uvicorn, the API, the Gradio sessions, the rate
limit, feedback) and sends each question, claim and health check to one of N worker processes,
each of which holds its own Bot and follows the published index version."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:  # a worker imports numpy only after _start_worker has limited its threads
    from bot.conversation import Turn
    from bot.core import Bot
    from bot.results import Answer, Verdict
    from embeddings import SearchableIndex

ANSWER_TIMEOUT = 60.0  # seconds a request waits for a worker before it is refused with 503
CATCH_UP_SECONDS = 5.0  # longest a worker behind on the index waits for its own reload


class WorkersUnavailable(RuntimeError):
    """No worker could answer (one stopped, or none answered in time); the message says so."""


class PooledBot:
    """What the web app uses of a Bot (ask, check, health, index), answered by worker processes."""

    def __init__(self, front: Bot, settings: Settings) -> None:
        """front: the server's own Bot, whose index the pages read their examples and skipped
        files from; it has built the index already, so workers only load it."""
        self._front = front
        self._settings = settings
        self._lock = threading.Lock()
        self._versions: set[str] = set()
        self._newest: str | None = None
        self._context = multiprocessing.get_context("spawn")  # not fork: the front has threads
        self._pool = self._new_pool()
        self._starting = [self._pool.submit(_run, "health", None) for _ in range(settings.workers)]

    @property
    def index(self) -> SearchableIndex:
        return self._front.index

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return self._call("ask", question, list(history))

    def check(self, claim: str) -> Verdict:
        return self._call("check", claim)

    def health(self) -> dict:
        return self._call("health")

    def wait_started(self) -> None:
        """Wait until the workers started when this was made have answered, so one that cannot
        build its Bot stops the server before it listens."""
        try:
            for future in self._starting:
                self._saw(future.result(timeout=ANSWER_TIMEOUT)[1])
        except (BrokenProcessPool, TimeoutError):
            raise WorkersUnavailable("the worker processes could not start (see the messages above)") from None

    def close(self) -> None:
        """Stop the workers: questions still queued are dropped, ones being answered finish."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._settings.workers,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(self._settings,),
        )

    def _call(self, method: str, *args: Any) -> Any:
        pool = self._pool
        try:
            future = pool.submit(_run, method, self._newest, *args)
            result, version = future.result(timeout=ANSWER_TIMEOUT)
        except BrokenProcessPool:
            self._restart(pool)
            raise WorkersUnavailable("a worker process stopped; the workers are restarting, ask again") from None
        except TimeoutError:
            future.cancel()
            raise WorkersUnavailable(f"no worker answered within {ANSWER_TIMEOUT:.0f} s; ask again") from None
        self._saw(version)
        return result

    def _saw(self, version: str) -> None:
        """Remember the index version an answer came from; the first time one is seen, it is
        the newest: a worker switches to a version only after it has been published."""
        with self._lock:
            if version not in self._versions:
                self._versions.add(version)
                self._newest = version

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = self._new_pool()
        broken.shutdown(wait=False, cancel_futures=True)


# In each worker process:
_bot: Bot  # set by _start_worker
_answered_from: set[str] = set()  # the index versions this worker has answered from


def _start_worker(settings: Settings) -> None:
    global _bot
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches every process; the front stops us
    threading.Thread(target=_exit_with_front, name="exit-with-front", daemon=True).start()
    # A worker is one core's worth of answering; BLAS threads on top only contend, with each
    # other and with the other workers: ten times slower per question on a busy machine. With
    # one thread, the quick numpy encoder embeds a question faster than the full model (18 ms
    # against 28), so workers never load torch.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from bot.core import Bot

    _bot = Bot.from_settings(settings, quick_start=True)


def _exit_with_front() -> None:
    """A front killed outright (SIGKILL) cannot stop its workers; they stop once it is gone."""
    front = multiprocessing.parent_process()
    if front is not None:
        front.join()
        os._exit(0)


def _run(method: str, newest: str | None, *args: Any) -> tuple[Any, str]:
    """bot.<method>(*args), and the index version it was answered from."""
    version = _caught_up(newest)
    return getattr(_bot, method)(*args), version


def _caught_up(newest: str | None) -> str:
    """This worker's index version, once it has caught up with newest: workers switch one by
    one, and no answer should come from an older version than one another worker has given."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    version = str(_bot.index.version)
    _answered_from.add(version)
    while newest is not None and newest not in _answered_from and time.monotonic() < deadline:
        time.sleep(0.05)  # reading bot.index starts its reload
        version = str(_bot.index.version)
        _answered_from.add(version)
    return version
