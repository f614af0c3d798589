"""A process of the multi-process traffic tests: ``traffic_worker.py DIR SEED ID...`` releases the
drafts (in an order shuffled by SEED, one transaction each, skipping those another process
released first) as carol, printing one JSON line per cable it released. The time comes
from ``$CABLEGRAM_TRAFFIC_CLOCK``, as for the CLI."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from cablegram.traffic import Actor, Traffic, TrafficError, clock_from_environment, release


def main(argv: list[str]) -> None:
    directory, seed, ids = Path(argv[1]), int(argv[2]), [int(a) for a in argv[3:]]
    random.Random(seed).shuffle(ids)
    with Traffic(directory, clock=clock_from_environment()) as traffic:
        carol = traffic.principal("carol")
        assert carol is not None
        for draft_id in ids:
            try:
                (done,) = release(traffic, Actor.of(carol), [draft_id])
            except TrafficError as error:
                if "released already" in str(error):
                    continue
                raise
            print(json.dumps({"draft": draft_id, "cable": done.cable_id}), flush=True)


if __name__ == "__main__":
    main(sys.argv)
