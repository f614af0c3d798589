"""Rules on captions, the handling instructions under the classification line (spec §2.2).

* SIPDIS (SIPRNet distribution, introduced December 2005) posts a cable to the Net-Centric
  Diplomacy database; "SIPDIS messages may not carry other restrictive captions or
  caveats, such as NODIS or EXDIS ... If a message carries conflicting captions, the more
  restrictive caption will be controlling" (05 STATE 226504 [S19]).
* "A message can have only one channel caption" (5 FAH-2 H-440, 2023 [S8]); channel
  captions are the ``... CHANNEL`` ones (DIRGEN CHANNEL, AGREMENT CHANNEL, MED CHANNEL,
  TM CHANNEL). Distribution captions such as NODIS and EXDIS are not channel captions.

Variants seen: SIPDIS written twice (seed 07MOSCOW1002; the reader keeps it once), in
lowercase (``Sipdis``, retyped partial extracts). The sample corpus has no NODIS, EXDIS or
channel caption at all (2,835 of its 2,979 cables are SIPDIS), so these rules guard
cables being written rather than the sample.
"""

from __future__ import annotations

from collections.abc import Iterator

from cablegram.write.rules.base import Context, Finding, Severity, rule

SIPDIS_RESTRICTED = rule(
    "CG401",
    "sipdis-restricted",
    Severity.ERROR,
    "SIPDIS is not combined with NODIS or EXDIS.",
)
CHANNEL_CAPTIONS = rule(
    "CG402",
    "channel-captions",
    Severity.ERROR,
    "A cable carries at most one channel caption.",
)

RESTRICTIVE = ("NODIS", "EXDIS")


def is_channel_caption(caption: str) -> bool:
    words = caption.upper().split()
    return len(words) > 1 and words[-1] == "CHANNEL"


def check(context: Context) -> Iterator[Finding]:
    captions = [" ".join(c.upper().split()) for c in context.cable.captions]
    if "SIPDIS" in captions:
        for restrictive in RESTRICTIVE:
            if restrictive in captions:
                yield SIPDIS_RESTRICTED.finding(
                    f"SIPDIS is combined with {restrictive}; {restrictive} would control",
                    f"remove SIPDIS (the cable stays {restrictive}) or remove {restrictive}",
                    context.locate.exact(restrictive),
                )
    channels = list(dict.fromkeys(c for c in captions if is_channel_caption(c)))
    if len(channels) > 1:
        yield CHANNEL_CAPTIONS.finding(
            f"the cable carries {len(channels)} channel captions: {', '.join(channels)}",
            "keep one channel caption and send a separate cable for the other channel",
            context.locate.exact(channels[1]),
        )
