"""Where topics run: in this process, in a pool of local processes, or on a Dask cluster.

Topics are independent (one :class:`~generator.ingest.read.TopicInputs` in,
one :class:`~generator.pipeline.topic.TopicOutput` out), so they spread over
processes and machines with no shared state.  Every runner ships the same
value, the topic's bytes: a Dask cluster needs no shared file system, only
the same generator installed, and its fingerprint is checked before any work.
Results come back in the order they finish; the publisher puts them back in
discovery order.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

from generator.ingest.read import TopicInputs
from generator.pipeline.cache import fingerprint
from generator.pipeline.topic import TopicOutput, process_remote, process_topic

EXECUTORS = ("local", "dask")
Work = Sequence[tuple[int, TopicInputs]]  # topics to run, each with its place in discovery order


@dataclass(frozen=True)
class Runner:
    """Where topics run: ``jobs`` local processes (None: one per core) or the Dask ``scheduler``."""

    jobs: int | None = None
    executor: str = "local"
    scheduler: str | None = None

    def workers(self, topics: int) -> int:
        return max(1, min(self.jobs or os.cpu_count() or 1, topics))

    def run(self, work: Work) -> Iterator[tuple[int, TopicOutput]]:
        """The output of every topic of ``work``, with its place, as each is done."""
        if not work:
            return
        if self.executor == "dask":
            yield from _run_dask(work, self.scheduler)
        elif self.workers(len(work)) == 1:
            for n, inputs in work:
                yield n, process_topic(inputs)
        else:
            yield from _run_pool(work, self.workers(len(work)))


SERIAL = Runner(jobs=1)
ALL_CORES = Runner()


def _run_pool(work: Work, workers: int) -> Iterator[tuple[int, TopicOutput]]:
    # forkserver: workers start from a clean process, safe even when the caller runs threads (Dask, tqdm).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["generator.pipeline.topic"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        with _signals_held():
            pending: dict[Future, int] = {pool.submit(process_topic, inputs): n for n, inputs in work}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
    except BaseException:  # Ctrl-C, SIGTERM, a failed topic: stop the workers now rather than let them finish
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


WATCH_SECONDS = 1.0
HELD = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the pool starts its workers (``submit`` starts them), deliver them after.

    A signal taking effect between the forkserver's fork of a worker and the
    pool's record of it left that worker unknown to the clean-up: it lived on,
    then printed a traceback when the build's semaphores were gone (seen under
    load).  Held, the signal arrives once every worker is known and can be killed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_start(parent: int) -> None:
    """Set a worker up: it dies with the build, leaves Ctrl-C to it, and collects garbage less often.

    Workers are children of the forkserver, not of the build, so they are
    told to die with their parent (Linux) and also watch the build's process:
    a build killed with SIGKILL leaves no worker computing for nobody.
    Ctrl-C reaches the whole process group; the build handles it and stops
    the workers, which would otherwise each print a traceback.  A topic
    allocates hundreds of thousands of short-lived, acyclic objects (tokens,
    diffs), and each default-sized batch of them set off a collection walking
    the imported modules too (4 % of a topic's CPU).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)  # the forkserver was started while they were held
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    threading.Thread(target=_watch, args=(parent,), name="watch-build", daemon=True).start()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def _watch(parent: int) -> None:
    """End this worker as soon as the build process ``parent`` is gone."""
    while not _gone(parent):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended: no such process, or (Linux) a zombie its own parent has not reaped yet."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _run_dask(work: Work, scheduler: str | None) -> Iterator[tuple[int, TopicOutput]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise RuntimeError("--executor dask needs dask[distributed]: pip install 'source-compare[dask]'") from exc
    if not scheduler:
        raise ValueError("--executor dask needs --scheduler ADDRESS")
    generator = fingerprint()
    with Client(scheduler, set_as_default=False) as client:
        futures = {
            client.submit(process_remote, inputs, generator, key=f"topic-{generator[:8]}-{n}-{inputs.key(generator)[:16]}"): n
            for n, inputs in work
        }
        try:
            for future in as_completed(futures, loop=client.loop):
                yield futures[future], future.result()
        finally:
            client.cancel(list(futures))
