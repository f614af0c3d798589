"""Verification of the audit trail: which entries were edited, inserted, deleted,
reordered or truncated, and whether the chain was recomputed (`cablegram.access.audit`).

Each entry stores the MAC it was chained from (``prev``) beside its own, so an entry's MAC
can be checked on its own (`authentic`), and an entry that does not verify where it is
stored can be tried at the seq its ``prev`` or its MAC points to. The analysis:

1. One pass over the log in seq order keeps the *suspects*: entries that do not verify in
   place or do not link to the entry stored before them, their neighbours, and the last
   entry. An intact log keeps one entry: memory grows with the damage, not the log.
2. Suspects are *placed* at their genuine seq: in place when they verify there, else at
   the seq their ``prev`` or MAC points to from entries already placed, the genesis value
   or the checkpoint, if they verify there (swapped or renumbered entries).
3. The seqs from 1 to the checkpoint (or the last placed entry) are accounted for: an
   unplaced entry beside a genuine entry of its seq, or after the checkpoint, is
   *inserted*; else it is *edited* (its MAC vouched for by its successor or the checkpoint,
   or rewritten); seqs no entry accounts for are *deleted*, or *truncated* after the last
   genuine entry; placed entries stored elsewhere are *reordered*, one problem per run.

Nothing placed in a log of two or more entries means the chain was *recomputed* without
the key (or the key replaced): one problem, not one per entry.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from cablegram.access.audit_store import GENESIS, AuditEntry, authentic

ANOMALY_ACTION = "audit.anomaly"
"""The action of the entries an appender writes when it finds the checkpoint gone."""


class Tampering(StrEnum):
    """What `verify` found; the documentation of each is in docs/security.md."""

    EDITED = "edited"
    INSERTED = "inserted"
    DELETED = "deleted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    RECOMPUTED = "recomputed"
    CHECKPOINT_MISSING = "checkpoint-missing"
    CHECKPOINT_FORGED = "checkpoint-forged"
    CHECKPOINT_BEHIND = "checkpoint-behind"
    KEY_MISSING = "key-missing"
    ANOMALY = "anomaly"


@dataclass(frozen=True)
class Problem:
    """One tampering; ``first``..``last`` are the seqs concerned (None: the log as a whole)."""

    kind: Tampering
    message: str
    first: int | None = None
    last: int | None = None

    def __str__(self) -> str:
        if self.first is None:
            where = "log"
        elif self.last is None or self.last == self.first:
            where = f"seq {self.first}"
        else:
            where = f"seq {self.first}–{self.last}"
        return f"{where}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head: int | None
    """The highest seq stored."""
    checkpoint: int | None
    """The seq the checkpoint names, when it verifies."""
    problems: tuple[Problem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Checkpoint:
    """The (seq, MAC) of the last entry, as the checkpoint file vouches for it."""

    seq: int
    mac: str


CHECKPOINT_STATE = {
    Tampering.CHECKPOINT_MISSING: "was missing",
    Tampering.CHECKPOINT_FORGED: "did not verify",
}


def verify_entries(
    key: bytes, rows: Iterable[AuditEntry], checkpoint: Checkpoint | Tampering
) -> VerifyReport:
    """The report on ``rows`` (the whole log in seq order) against the ``checkpoint`` read
    at the same instant (or what is wrong with it)."""
    scan = _scan(key, rows)
    return VerifyReport(
        scan.count,
        scan.head.seq if scan.head else None,
        checkpoint.seq if isinstance(checkpoint, Checkpoint) else None,
        tuple(_problems(key, scan, checkpoint)),
    )


@dataclass
class _Scan:
    """One pass over the log. Only *suspects* are kept: entries that do not verify in place
    or do not link to the entry stored before them, their neighbours (whose MACs and
    ``prev`` links tell what happened), and the last entry. An intact log keeps one."""

    count: int = 0
    head: AuditEntry | None = None
    suspects: dict[int, tuple[AuditEntry, bool]] = field(default_factory=dict)
    """Position in seq order -> (entry, verifies at its stored seq)."""
    gaps: list[tuple[int, int]] = field(default_factory=list)
    """Seq ranges no row is stored at."""
    anomalies: list[AuditEntry] = field(default_factory=list)


def _scan(key: bytes, rows: Iterable[AuditEntry]) -> _Scan:
    scan = _Scan()
    previous: AuditEntry | None = None
    previous_in_place = True
    for position, row in enumerate(rows):
        in_place = authentic(key, row)
        expected_seq = previous.seq + 1 if previous else 1
        linked = row.seq == expected_seq and row.prev == (previous.mac if previous else GENESIS)
        if row.seq > expected_seq:
            scan.gaps.append((expected_seq, row.seq - 1))
        if in_place and row.action == ANOMALY_ACTION:
            scan.anomalies.append(row)
        if not (in_place and linked) or not previous_in_place:
            scan.suspects[position] = (row, in_place)
            if previous is not None:
                scan.suspects[position - 1] = (previous, previous_in_place)
        previous, previous_in_place = row, in_place
        scan.count += 1
    if previous is not None:
        scan.suspects[scan.count - 1] = (previous, previous_in_place)
    scan.head = previous
    return scan


def _resolve(
    key: bytes, suspects: dict[int, tuple[AuditEntry, bool]], checkpoint: Checkpoint | None
) -> tuple[dict[int, int], dict[str, int]]:
    """Which seq each suspect genuinely has (position -> seq), and the genuine MACs learnt
    (MAC -> seq). An entry that does not verify where it is stored is tried at the seq its
    ``prev`` or its MAC points to, from entries already placed; passes alternate direction
    so a renumbered run resolves forward (from its predecessor) or backward (from its
    successor or the checkpoint) in one pass."""
    placed: dict[int, int] = {}
    known: dict[str, int] = {GENESIS: 0}
    if checkpoint is not None:
        known[checkpoint.mac] = checkpoint.seq

    def place(position: int, entry: AuditEntry, seq: int) -> None:
        placed[position] = seq
        known[entry.mac] = seq
        known[entry.prev] = seq - 1

    for position, (entry, in_place) in suspects.items():
        if in_place:
            place(position, entry, entry.seq)
    pending = [position for position in sorted(suspects) if position not in placed]
    while pending:
        unplaced = []
        for position in pending:
            entry = suspects[position][0]
            candidates = {known[entry.prev] + 1} if entry.prev in known else set()
            if entry.mac in known:
                candidates.add(known[entry.mac])
            seq = next(
                (s for s in sorted(candidates - {entry.seq}) if authentic(key, entry, s)), None
            )
            if seq is None:
                unplaced.append(position)
            else:
                place(position, entry, seq)
        if len(unplaced) == len(pending):
            break
        pending = unplaced[::-1]
    return placed, known


def _problems(key: bytes, scan: _Scan, checkpoint: Checkpoint | Tampering) -> list[Problem]:
    valid = checkpoint if isinstance(checkpoint, Checkpoint) else None
    problems: list[Problem] = []
    if isinstance(checkpoint, Tampering) and (
        scan.count or checkpoint is Tampering.CHECKPOINT_FORGED
    ):
        message = f"the checkpoint {CHECKPOINT_STATE[checkpoint]}: a truncated tail would go unseen"
        problems.append(Problem(checkpoint, message))
    placed, known = _resolve(key, scan.suspects, valid)
    # One entry that does not verify is simply an edited entry; from two on, "nothing
    # verifies" is a recomputed chain (or a replaced key), said once.
    if scan.count > 1 and not placed:
        message = (
            f"none of the {scan.count} entries verifies with this archive's key: "
            "the chain was recomputed without the key (or the key was replaced)"
        )
        return [Problem(Tampering.RECOMPUTED, message), *problems]
    problems.extend(
        Problem(Tampering.ANOMALY, json.loads(entry.detail).get("problem", ""), entry.seq)
        for entry in scan.anomalies
    )
    last_genuine = max(placed.values(), default=0)
    top = max(last_genuine, valid.seq if valid else 0)
    if valid is not None and last_genuine > valid.seq:
        problems.append(
            Problem(
                Tampering.CHECKPOINT_BEHIND,
                f"the checkpoint names entry {valid.seq} but verified entries run to "
                f"{last_genuine}: an old checkpoint was restored, or an append was cut short",
            )
        )
    by_seq: dict[int, list[AuditEntry]] = {}
    for position, seq in sorted(placed.items()):
        by_seq.setdefault(seq, []).append(scan.suspects[position][0])
    moved: list[tuple[int, int]] = []
    for seq, entries in sorted(by_seq.items()):
        kept = next((e for e in entries if e.seq == seq), entries[0])
        if kept.seq != seq:
            moved.append((seq, kept.seq))
        problems.extend(
            Problem(Tampering.INSERTED, f"a replayed copy of entry {seq}", e.seq)
            for e in entries
            if e is not kept
        )
    unplaced = [entry for p, (entry, _) in sorted(scan.suspects.items()) if p not in placed]
    for entry in unplaced:
        problems.append(_unplaced_problem(entry, by_seq, known, top))
    covered = sorted(set(by_seq) | {entry.seq for entry in unplaced})
    vacated = [(stored, stored) for _, stored in moved]
    tail = (scan.head.seq + 1 if scan.head else 1, top)
    for first, last in _missing([*scan.gaps, *vacated, tail], covered, top):
        if first > last_genuine:
            message = f"removed from the end of the log (the checkpoint names entry {top})"
            problems.append(Problem(Tampering.TRUNCATED, message, first, last))
        else:
            problems.append(Problem(Tampering.DELETED, "deleted from the log", first, last))
    problems.extend(_reordered(moved))
    return sorted(problems, key=lambda p: (p.first if p.first is not None else 0, p.kind))


def _unplaced_problem(
    entry: AuditEntry, by_seq: Mapping[int, object], known: Mapping[str, int], top: int
) -> Problem:
    """An entry that verifies at no seq: added beside a genuine entry or after the
    checkpoint, else an edit (with the MAC kept, or rewritten without the key)."""
    if entry.seq in by_seq:
        message = "an entry made without the key, beside the genuine one of this seq"
        return Problem(Tampering.INSERTED, message, entry.seq)
    if entry.seq > top:
        message = "an entry made without the key, after the checkpoint"
        return Problem(Tampering.INSERTED, message, entry.seq)
    if known.get(entry.mac) == entry.seq:
        message = "its content no longer matches its MAC"
    else:
        message = "its content and MAC were rewritten without the key"
    return Problem(Tampering.EDITED, message, entry.seq)


def _missing(
    ranges: Iterable[tuple[int, int]], covered: list[int], top: int
) -> list[tuple[int, int]]:
    """The seqs in ``ranges`` (clipped to 1..top) that no stored entry accounts for, as
    merged ranges. Works on ranges: a forged seq of 10**9 must not cost 10**9 steps."""
    pieces: list[tuple[int, int]] = []
    for first, last in ranges:
        first, last = max(first, 1), min(last, top)
        start = first
        for seq in covered[bisect.bisect_left(covered, first) : bisect.bisect_right(covered, last)]:
            if seq > start:
                pieces.append((start, seq - 1))
            start = seq + 1
        if start <= last:
            pieces.append((start, last))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(pieces):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def _reordered(moved: list[tuple[int, int]]) -> list[Problem]:
    """Runs of entries stored at a seq other than their own, one problem per run with the
    same displacement (a renumbered tail is one problem, a swap two)."""
    runs: list[list[tuple[int, int]]] = []
    for seq, stored in moved:
        run = runs[-1] if runs else None
        if run and seq == run[-1][0] + 1 and stored - seq == run[-1][1] - run[-1][0]:
            run.append((seq, stored))
        else:
            runs.append([(seq, stored)])
    problems = []
    for run in runs:
        (first, stored_first), (last, stored_last) = run[0], run[-1]
        where = f"seq {stored_first}" if first == last else f"seq {stored_first}–{stored_last}"
        problems.append(Problem(Tampering.REORDERED, f"stored as {where}", first, last))
    return problems
