"""Synthetic corpus: realistic cables written through the project's own writer.

`generate` yields cables built as `cablegram.model.Cable` values and rendered with
`cablegram.write.render`, deterministic for a seed; `companion_part_one` writes the part
one that a multi-part cable cites (the seed's Ref G); `write_jsonl` writes cables as JSON
Lines. `cablegram synth` writes a corpus for demos, tests and the scale benchmarks, and
`synth --stats` measures it beside the shared sample (`cablegram.synth.stats`). Modules:
`vocabulary` (the tables in ``data/``), `people`, `markings`, `envelope`, `head`, `prose`,
`body`, `generator`, `output`, `stats`.
"""

from cablegram.synth.generator import (
    SEED_IDS,
    Options,
    SyntheticCable,
    companion_part_one,
    generate,
)
from cablegram.synth.output import write_jsonl

__all__ = [
    "SEED_IDS",
    "Options",
    "SyntheticCable",
    "companion_part_one",
    "generate",
    "write_jsonl",
]
