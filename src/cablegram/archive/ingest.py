"""Ingest: files of cables in, parsed versions stored and indexed, failures reported.

**Inputs** are whatever `cablegram.read.formats` reads (files, directories read
recursively, ``.gz``, the Cablegate ``cables.csv`` dump, WikiLeaks HTML pages, JSON Lines,
``-`` for stdin), read lazily: a document is in memory only from its reading to its
storing, whatever the corpus size.

**Pipeline.** The main process reads documents and groups them in chunks; a pool of worker
processes parses and encodes each chunk (`encode_documents`: `cablegram.read.parse`, the
cable's JSON, its reference edges and person mentions, and its index documents); the main
process stores the results in batches (one transaction each) and catches the search index
up after each batch (`cablegram.archive.indexer.Indexer`, an index commit every
`COMMIT_CABLES`), with the workers' index documents wherever they apply
(`cablegram.archive.indexer.Prepared`): the main process, the pipeline's one serial stage,
then only stores and adds documents. Results come back in reading order, and at most
`IN_FLIGHT_PER_WORKER` chunks per worker are submitted but not yet stored: memory stays
bounded, the stored documents of a file are always a prefix of it, and the queue is long
enough to keep the workers parsing while the main process stores and indexes a batch.
Workers start from a fork server (a clean single- threaded process), not by forking the
main process, which holds the index writer's threads; they exit when the main process
dies, so a killed ingest leaves no process behind.

**Identity.** A cable's id is the one its text gives (`Cable.id`). Partial extracts
without a date have none; their container's metadata id is used instead (the keys
`FALLBACK_ID_KEYS`, in that order, when the value looks like a cable id: two-digit year,
origin, serial, e.g. ``06REYKJAVIK401``), and the version records ``metadata:KEY`` as where
its id came from. A document with neither fails with "no cable id". The release date comes
from the ``released`` metadata (the JSON Lines sample and the WikiLeaks pages have it; the
CSV dump does not) and decides which version is current (`cablegram.archive.storage`).

**Idempotency and crashes.** Storing is idempotent (`Storage.put_encoded`: a known text is
``unchanged``), each batch is one transaction, and the index catches up from a watermark
kept in the store; so after ``kill -9`` at any moment, running the same command again
completes the job with nothing lost or duplicated. To make that re-run cheap, the store
keeps how many documents of each input file are done (`FileProgress`, written after the
batch that stored them): a re-run skips them without parsing, as long as the file keeps its
size and modification time, and reports again the failures recorded among them.

A program that calls `ingest` with workers must guard its entry point with ``if __name__ ==
"__main__":``, as for any use of `multiprocessing` with a fork server or spawn.

**Failures** never stop the run: a file that cannot be read (missing, binary, not UTF-8,
malformed CSV or JSON: `FormatError`) is reported with its reason and the next file is
read; a JSON Lines or CSV file that breaks in the middle keeps the documents read before
the break. A document that yields no cable (empty text, no id, or an internal error of the
reader on it) is reported and skipped.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from cablegram.access import cable_access
from cablegram.archive import Archive
from cablegram.archive.documents import documents
from cablegram.archive.index.base import IndexDoc
from cablegram.archive.indexer import Indexer
from cablegram.archive.records import NewVersion, PutOutcome
from cablegram.archive.storage import DocumentFailure, EncodedVersion, FileProgress, encode
from cablegram.archive.storage.encoding import ID_FROM_TEXT
from cablegram.model import Cable
from cablegram.read import EmptyCableError, parse
from cablegram.read.formats import Document, FormatError, iter_paths, read_documents
from cablegram.read.formats.source import STDIN

FALLBACK_ID_KEYS = ("reference_id", "refid", "id")
"""Metadata keys that may hold a cable id (JSON Lines, CSV dump, WikiLeaks page table).
The CSV dump's ``id`` is a row number, which the cable id pattern rejects."""
CHUNK_DOCUMENTS = 64
"""Documents sent to a worker at once: large enough to amortise the inter-process
round trip, small enough to keep workers evenly busy."""
IN_FLIGHT_PER_WORKER = 12
"""Chunks submitted per worker and not yet stored: more than the workers parse while the
main process stores and indexes one batch (about a second), a few tens of MB."""
BATCH_DOCUMENTS = 1_000
"""Documents per storage transaction."""
COMMIT_CABLES = 50_000
"""Cables per index commit (`cablegram.archive.indexer.Indexer`): a long ingest commits
rarely, which keeps the index's segments large and its merges few (half as many commits
as at 25,000 made it 4 % faster at 250,000 cables, with `WRITER_HEAP`); searches see the
new cables at each commit and at the end, and a crash re-indexes at most this many."""

_CABLE_ID = re.compile(r"^\d{2}[A-Z][A-Z0-9]*\d$")
_R = TypeVar("_R")


@dataclass(frozen=True)
class Failure:
    """A file or a document that could not be stored, and why."""

    where: str
    """The file as given, or ``file#position`` for one document of it."""
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class Job:
    """One document on its way to a worker."""

    text: str
    where: str
    fallback_id: tuple[str, str] | None
    """(metadata key, id) to use when the text gives no id."""
    released: str | None


@dataclass
class IngestReport:
    """What a run did."""

    documents: int = 0
    """Documents read, including those skipped as done by an earlier run."""
    new: int = 0
    new_versions: int = 0
    unchanged: int = 0
    resumed: int = 0
    """Documents skipped because an earlier run of the same file had stored them."""
    failures: list[Failure] = field(default_factory=list)
    indexed: int = 0
    """Cables (re)indexed: the current versions stored by this run, plus any an earlier,
    interrupted run stored without indexing."""

    @property
    def failed(self) -> bool:
        return bool(self.failures)


class Observer(Protocol):
    """Progress reporting (the CLI's progress bar); every method is called in order from
    the ingesting thread."""

    def advance(self, documents: int) -> None:
        """``documents`` more documents are done (stored, unchanged, skipped or failed)."""

    def failed(self, failure: Failure) -> None: ...


class _Silent:
    def advance(self, documents: int) -> None:
        pass

    def failed(self, failure: Failure) -> None:
        pass


def ingest(
    archive: Archive,
    paths: Sequence[Path],
    *,
    workers: int | None = None,
    observer: Observer | None = None,
) -> IngestReport:
    """Ingest every document of ``paths``. ``workers``: parsing processes (default: one per
    core this process may run on); 0 parses in this process."""
    run = _Run(archive, observer or _Silent())
    count = _cores() if workers is None else workers
    with _pool(count) as pool:
        in_flight = max(1, count) * IN_FLIGHT_PER_WORKER
        for chunk, results in _ordered_map(pool, encode_documents, run.chunks(paths), in_flight):
            run.collect(chunk, results)
    run.finish()
    return run.report


@dataclass(frozen=True)
class Ready:
    """A document a worker has parsed: the version to store, and the index documents of
    a cable with no recorded distribution or declassification decision, which the indexer
    uses when they apply (`cablegram.archive.indexer.Prepared`)."""

    version: EncodedVersion
    index_documents: tuple[IndexDoc, ...]


class Unstored(NamedTuple):
    """A cable about to be stored, as `cablegram.archive.documents.documents` reads it;
    storage numbers the version (the indexer corrects a number other than 1)."""

    cable_id: str
    version: int
    cable: Cable


def encode_documents(jobs: Sequence[Job]) -> list[Ready | Failure]:
    """Parse and encode a chunk of documents (runs in a worker process)."""
    return [_encode(job) for job in jobs]


def _encode(job: Job) -> Ready | Failure:
    try:
        cable = parse(job.text)
        if cable.id is not None:
            cable_id, id_from = cable.id, ID_FROM_TEXT
        elif job.fallback_id is not None:
            key, cable_id = job.fallback_id
            id_from = f"metadata:{key}"
        else:
            return Failure(job.where, "no cable id (the text gives none and no metadata id)")
        version = encode(NewVersion(cable_id, job.text, cable, job.where, job.released), id_from)
        index_documents = documents(
            Unstored(cable_id, 1, cable), cable_access(cable), version.mentions
        )
        return Ready(version, tuple(index_documents))
    except EmptyCableError:
        return Failure(job.where, "no cable text")
    except Exception as error:  # a bug in reading one cable must not stop the whole run
        return Failure(job.where, f"internal error: {type(error).__name__}: {error}")


def fallback_id(metadata: Mapping[str, str]) -> tuple[str, str] | None:
    for key in FALLBACK_ID_KEYS:
        value = metadata.get(key, "").strip()
        if _CABLE_ID.match(value):
            return key, value
    return None


def released_date(metadata: Mapping[str, str]) -> str | None:
    """The ``released`` metadata as ISO 8601 (``2011-01-21 16:04`` ->
    ``2011-01-21T16:04:00``); None when absent or not a date."""
    try:
        return datetime.fromisoformat(metadata["released"].strip()).isoformat()
    except (KeyError, ValueError):
        return None


@dataclass
class _File:
    """An input file being read: where its progress is recorded."""

    key: str
    size: int
    mtime_ns: int
    done: int


@dataclass(frozen=True)
class _Slot:
    """Where a job came from, kept in the main process while the job is away."""

    file: _File | None
    position: int


class _Run:
    def __init__(self, archive: Archive, observer: Observer) -> None:
        self.archive = archive
        self.storage = archive.storage
        self.observer = observer
        self.report = IngestReport()
        self._batch: list[EncodedVersion] = []
        self._prepared: dict[tuple[str, str], tuple[IndexDoc, ...]] = {}
        self._indexer = Indexer(self.storage, archive.index, commit_every=COMMIT_CABLES)
        self._slots: list[_Slot] = []
        self._failures: list[DocumentFailure] = []

    # -- reading --------------------------------------------------------------------------

    def chunks(self, paths: Sequence[Path]) -> Iterator[list[tuple[_Slot, Job]]]:
        jobs = self._jobs(paths)
        while chunk := list(islice(jobs, CHUNK_DOCUMENTS)):
            yield chunk

    def _jobs(self, paths: Sequence[Path]) -> Iterator[tuple[_Slot, Job]]:
        for path in iter_paths(paths):
            file = self._open_file(path)
            skip = file.done if file is not None else 0
            try:
                for document in read_documents(path):
                    self.report.documents += 1
                    if document.index < skip:
                        self.report.resumed += 1
                        self.observer.advance(1)
                        continue
                    yield _Slot(file, document.index), _job(document)
            except FormatError as error:
                self._fail(Failure(str(path), str(error).removeprefix(f"{path}: ")))

    def _open_file(self, path: Path) -> _File | None:
        """The file's progress record; an earlier run's is kept (and its failures reported
        again) when the file has not changed since."""
        if str(path) == STDIN:
            return None
        try:
            key = str(path.resolve())
            status = path.stat()
        except OSError:
            return None  # reading it reports the problem
        known = self.storage.file_progress(key)
        file = _File(key, status.st_size, status.st_mtime_ns, 0)
        if known is not None and (known.size, known.mtime_ns) == (file.size, file.mtime_ns):
            file.done = known.documents
            for failure in self.storage.file_failures(key, known.documents):
                self._fail(Failure(failure.where, failure.reason))
        return file

    # -- storing --------------------------------------------------------------------------

    def collect(self, chunk: list[tuple[_Slot, Job]], results: list[Ready | Failure]) -> None:
        for (slot, _), result in zip(chunk, results, strict=True):
            if isinstance(result, Failure):
                self._fail(result)
                if slot.file is not None:
                    self._failures.append(
                        DocumentFailure(slot.file.key, slot.position, result.where, result.reason)
                    )
            else:
                self._batch.append(result.version)
                self._prepared[(result.version.cable_id, result.version.hash)] = (
                    result.index_documents
                )
            self._slots.append(slot)
        if len(self._slots) >= BATCH_DOCUMENTS:
            self._store()

    def finish(self) -> None:
        """Store the last batch and catch the index up, even when nothing is left to store
        (an earlier run may have been killed between storing and indexing)."""
        self._store()
        self._indexer.commit()

    def _store(self) -> None:
        outcomes = self.storage.put_encoded(self._batch)
        self.report.new += outcomes.count(PutOutcome.NEW)
        self.report.new_versions += outcomes.count(PutOutcome.NEW_VERSION)
        self.report.unchanged += outcomes.count(PutOutcome.UNCHANGED)
        touched: dict[str, _File] = {}
        for slot in self._slots:
            if slot.file is not None:
                slot.file.done = slot.position + 1
                touched[slot.file.key] = slot.file
        # After the versions' commit: a crash in between leaves the progress behind the
        # store (redone idempotently next time), never ahead of it.
        self.storage.record_files(
            [FileProgress(f.key, f.size, f.mtime_ns, f.done) for f in touched.values()],
            self._failures,
        )
        self.observer.advance(len(self._slots))
        self._batch, self._slots, self._failures = [], [], []
        self.report.indexed += self._indexer.catch_up(self._prepared)
        self._prepared = {}

    def _fail(self, failure: Failure) -> None:
        self.report.failures.append(failure)
        self.observer.failed(failure)


def _job(document: Document) -> Job:
    return Job(
        text=document.text,
        where=f"{document.path}#{document.index}",
        fallback_id=fallback_id(document.metadata),
        released=released_date(document.metadata),
    )


def _cores() -> int:
    """The cores this process may run on (Linux); all of them elsewhere."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextmanager
def _pool(workers: int) -> Iterator[Executor | None]:
    if workers <= 0:
        yield None
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(workers, context, initializer=_exit_with_parent) as pool:
        yield pool


def _exit_with_parent() -> None:
    """Make this worker exit when the ingesting process dies (``kill -9`` leaves workers
    waiting for work forever otherwise): a thread waits on the parent's sentinel, which
    becomes ready when the parent is gone."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def wait_for_parent() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=wait_for_parent, name="parent-watch", daemon=True).start()


def _ordered_map(
    pool: Executor | None,
    function: Callable[[list[Job]], _R],
    items: Iterable[list[tuple[_Slot, Job]]],
    in_flight: int,
) -> Iterator[tuple[list[tuple[_Slot, Job]], _R]]:
    """``(item, function(jobs of item))`` in order, with at most ``in_flight`` submitted and
    not yet returned; in this process when there is no pool."""
    pending: deque[tuple[list[tuple[_Slot, Job]], Future[_R]]] = deque()
    for item in items:
        jobs = [job for _, job in item]
        if pool is None:
            yield item, function(jobs)
            continue
        pending.append((item, pool.submit(function, jobs)))
        if len(pending) >= in_flight:
            head, future = pending.popleft()
            yield head, future.result()
    while pending:
        head, future = pending.popleft()
        yield head, future.result()


__all__ = [
    "BATCH_DOCUMENTS",
    "FALLBACK_ID_KEYS",
    "Failure",
    "IngestReport",
    "Job",
    "Observer",
    "Ready",
    "Unstored",
    "encode_documents",
    "fallback_id",
    "ingest",
    "released_date",
]
