"""Precedence: how fast a cable must be delivered (ACP 127 §150; 5 FAH-2 H-420).

The envelope carries single-letter prosigns (Z FLASH, O IMMEDIATE, P PRIORITY, R ROUTINE),
doubled on the routing line (FL2) and single in the preamble (FL5). State adds NIACT
IMMEDIATE, written after an addressee; it travels as O in the envelope.
"""

from __future__ import annotations

import enum


class Precedence(enum.Enum):
    FLASH = "FLASH"
    NIACT_IMMEDIATE = "NIACT IMMEDIATE"
    IMMEDIATE = "IMMEDIATE"
    PRIORITY = "PRIORITY"
    ROUTINE = "ROUTINE"

    @property
    def prosign(self) -> str:
        """The ACP 127 prosign letter (NIACT IMMEDIATE travels as O)."""
        return _PROSIGN[self]

    @property
    def urgency(self) -> int:
        """Higher is more urgent; NIACT IMMEDIATE ranks above IMMEDIATE in a queue."""
        return _URGENCY[self]

    @property
    def label(self) -> str:
        return self.value

    @classmethod
    def from_prosign(cls, letter: str) -> Precedence:
        try:
            return _BY_PROSIGN[letter.upper()]
        except KeyError:
            raise ValueError(f"unknown precedence prosign: {letter!r}") from None

    @classmethod
    def from_label(cls, label: str) -> Precedence:
        key = " ".join(label.upper().replace("_", " ").split())
        try:
            return cls(key)
        except ValueError:
            raise ValueError(f"unknown precedence: {label!r}") from None


_PROSIGN = {
    Precedence.FLASH: "Z",
    Precedence.NIACT_IMMEDIATE: "O",
    Precedence.IMMEDIATE: "O",
    Precedence.PRIORITY: "P",
    Precedence.ROUTINE: "R",
}
_URGENCY = {
    Precedence.FLASH: 4,
    Precedence.NIACT_IMMEDIATE: 3,
    Precedence.IMMEDIATE: 2,
    Precedence.PRIORITY: 1,
    Precedence.ROUTINE: 0,
}
_BY_PROSIGN = {
    "Z": Precedence.FLASH,
    "O": Precedence.IMMEDIATE,
    "P": Precedence.PRIORITY,
    "R": Precedence.ROUTINE,
}
