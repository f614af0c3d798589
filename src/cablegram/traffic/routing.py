"""Who a cable goes to: its address lines, the offices and people that receive it, and the
distribution recorded for the access rules (issue 6, item 4; spec §1.3, §1.8, §2.2).

`plan` resolves a draft's TO and INFO entries with the `AddressBook`:

* each line gets its precedence: the action precedence for TO lines, the information
  precedence (default: the same) for INFO lines; NIACT IMMEDIATE is written on the line
  and travels as O (spec §1.3). A FLASH cable has one precedence: "If the highest
  precedence of a multi-precedence message is FLASH, a separate transmission must be
  made" (5 FAH-2 H-320 [S4]), so FLASH with a lower INFO precedence is refused;
* an office may be addressed once;
* passing instructions to the Department (``DEPT FOR EUR/RUS``) reach its bureaus, at the
  precedence of the Department's line, and need the Department among the addressees.

**Captions drive distribution.** A NODIS ("no distribution other than to persons
indicated") or EXDIS ("exclusive distribution") cable [S24] goes to its named recipients
only, each in their personal queue, and its recorded distribution is those names: the
access decision (`cablegram.access.decision`, rule 1) then lets only them, holding the
channel's authorisation, read it. Every other cable goes to each receiving office's queue,
and to named recipients too; its distribution is those offices and names (for LIMDIS or
STADIS the access decision also requires the channel's authorisation).
"""

from __future__ import annotations

from dataclasses import dataclass

from cablegram.access.decision import channel_of
from cablegram.model import Precedence
from cablegram.reference.posts import address_key
from cablegram.traffic.addressbook import DEPARTMENT, AddressBook, Addressing, Office
from cablegram.traffic.drafts import DraftContent, DraftError

#: Channels whose cables reach named recipients only.
PERSONAL_CHANNELS = frozenset({"NODIS", "EXDIS"})
OFFICE = "office"
PERSON = "person"


@dataclass(frozen=True)
class Line:
    """One TO or INFO line."""

    addressing: Addressing
    precedence: Precedence


@dataclass(frozen=True)
class Recipient:
    """An office or a person that receives the cable, at a precedence."""

    kind: str
    """`OFFICE` or `PERSON`."""
    name: str
    precedence: Precedence


@dataclass(frozen=True)
class Plan:
    originator: Office
    to: tuple[Line, ...]
    info: tuple[Line, ...]
    bureaus: tuple[Office, ...]
    channel: str | None
    """The controlling channel caption (NODIS, EXDIS, LIMDIS ...), None for an open cable."""
    named: tuple[str, ...]
    """Named recipients (user names)."""

    @property
    def lines(self) -> tuple[Line, ...]:
        return self.to + self.info

    @property
    def precedences(self) -> tuple[Precedence, ...]:
        """FL5: the action precedence, then the information precedence when its prosign
        differs (ACP 127 §152 [S1]: ``P R``)."""
        action = self.to[0].precedence
        found = [action]
        if self.info and self.info[0].precedence.prosign != action.prosign:
            found.append(self.info[0].precedence)
        return tuple(found)

    @property
    def highest(self) -> Precedence:
        return max((line.precedence for line in self.lines), key=lambda p: p.urgency)

    def state_addresses(self) -> tuple[str, ...]:
        """The address keys of the State activities addressed: one MCN sequence each."""
        return tuple(
            address_key(line.addressing.office.address)
            for line in self.lines
            if line.addressing.office.state
        )

    def stations(self) -> tuple[str, ...]:
        """FL2: every station delivering to a receiving office, once, alphabetically."""
        ris = {
            office.routing_indicator
            for line in self.lines
            for office in line.addressing.recipients
            if office.routing_indicator
        }
        return tuple(sorted(ris))

    def recipients(self) -> tuple[Recipient, ...]:
        """Who receives the cable (see module notes), each once at its highest precedence."""
        found: dict[tuple[str, str], Precedence] = {}

        def add(kind: str, name: str, precedence: Precedence) -> None:
            known = found.get((kind, name))
            if known is None or precedence.urgency > known.urgency:
                found[(kind, name)] = precedence

        if self.channel not in PERSONAL_CHANNELS:
            for line in self.lines:
                for office in line.addressing.recipients:
                    add(OFFICE, office.name, line.precedence)
            department = self.department_precedence()
            for bureau in self.bureaus:
                assert department is not None  # `plan` refuses bureaus without it
                add(OFFICE, bureau.name, department)
        for name in self.named:
            add(PERSON, name, self.highest)
        return tuple(Recipient(kind, name, p) for (kind, name), p in found.items())

    def distribution(self) -> frozenset[str]:
        """The offices and names the access rules admit (module notes)."""
        return frozenset(recipient.name for recipient in self.recipients())

    def department_precedence(self) -> Precedence | None:
        for line in self.lines:
            if any(office.name == DEPARTMENT for office in line.addressing.recipients):
                return line.precedence
        return None


def plan(content: DraftContent, book: AddressBook) -> Plan:
    """Resolve a draft's addressees; `DraftError` names what cannot be resolved."""
    if not content.to:
        raise DraftError("a cable needs at least one action (TO) addressee")
    info_precedence = content.info_precedence or content.precedence
    flash = Precedence.FLASH in (content.precedence, info_precedence)
    if content.info and flash and content.precedence is not info_precedence:
        raise DraftError(
            "a FLASH cable has one precedence: send the other addressees a separate cable"
        )
    try:
        originator = book.post(content.origin)
        to = tuple(Line(book.resolve(a), content.precedence) for a in content.to)
        info = tuple(Line(book.resolve(a), info_precedence) for a in content.info)
        bureaus = book.bureaus(content.passing)
    except ValueError as error:
        raise DraftError(str(error)) from None
    seen: set[str] = set()
    for line in to + info:
        name = line.addressing.office.name
        if name in seen:
            raise DraftError(f"{line.addressing.office.address} is addressed twice")
        seen.add(name)
    result = Plan(
        originator=originator,
        to=to,
        info=info,
        bureaus=bureaus,
        channel=channel_of(tuple(" ".join(c.upper().split()) for c in content.captions)),
        named=tuple(dict.fromkeys(name.strip() for name in content.recipients if name.strip())),
    )
    if bureaus and result.department_precedence() is None:
        raise DraftError("a passing instruction names the Department, which is not addressed")
    if result.channel in PERSONAL_CHANNELS and not result.named:
        raise DraftError(f"a {result.channel} cable goes to named recipients only: name them")
    return result
