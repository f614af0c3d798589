#!/usr/bin/env python3
"""Write ``src/cablegram/data/person_common_words.tsv`` from the sample corpus (run by hand).

All-capitals cables cannot tell a name from a word by its case (``GENERAL ELECTIONS``,
``SECRETARY RICE``). The person index (`cablegram.archive.people`) therefore accepts a
word after a title in such text only when it is not a common English word. This script
lists, from the mixed-case cables of ``../shared/corpus/cablegate-sample.jsonl.gz``, the
words written in lower case at least ``--min-count`` times and at least ``--ratio`` times
as often in lower case as capitalised inside a sentence (so ``rice``, ``burns``, ``wood``
stay out: in these cables they are mostly names). Only words and counts are kept; no
cable text is copied. Run it again when the corpus changes::

    .venv/bin/python scripts/build_common_words.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from cablegram.read import parse

REPO = Path(__file__).resolve().parents[1]
WORD = re.compile(r"(?<![\w'])([A-Za-z][a-z]+)(?![\w'])")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"(]\s*|\n\s*)$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--ratio", type=float, default=4.0)
    args = parser.parse_args()
    corpus = args.shared / "corpus" / "cablegate-sample.jsonl.gz"
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            cable = parse(json.loads(line)["text"])
            for paragraph in cable.paragraphs:
                text = paragraph.text
                for match in WORD.finditer(text):
                    word = match.group(1)
                    if word.islower():
                        lower[word] += 1
                    elif not SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                        capitalised[word.lower()] += 1
    common = sorted(
        word
        for word, count in lower.items()
        if count >= args.min_count and count >= args.ratio * capitalised[word]
    )
    header = [
        "# Common English words: written in lower case at least "
        f"{args.min_count} times in the mixed-case cables of "
        "shared/corpus/cablegate-sample.jsonl.gz, and at least "
        f"{args.ratio:g} times as often in lower case as capitalised inside a sentence.",
        "# Written by scripts/build_common_words.py (words and counts only). Used by the person "
        "index to refuse a common word read as a name after a title in all-capitals text.",
        "word",
    ]
    target = REPO / "src" / "cablegram" / "data" / "person_common_words.tsv"
    target.write_text("\n".join([*header, *common]) + "\n", encoding="utf-8")
    print(f"{target}: {len(common)} words")


if __name__ == "__main__":
    main()
