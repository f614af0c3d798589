"""A draft as one text file, for ``cablegram draft new --file`` and the editor: header
lines, a blank line, then the body in the draft format (`cablegram.traffic.drafts`).

::

    From: MOSCOW
    To: SECSTATE WASHDC
    Info: NSC WASHDC
    Info: USMISSION USNATO
    Precedence: PRIORITY
    Caption: SIPDIS
    Tags: IAEA KACT KNNP MNUC PARM PREL IR RS START
    Subject: U/S JOSEPH-RUSSIAN DFM KISLYAK MEETING ON STRATEGIC SECURITY DIALOGUE
    Ref: STATE 003773
    Ref: 06 STATE 201804
    Classified-By: DCM Daniel A. Russell
    Reasons: b d
    Declassify: 03/01/2017
    Signature: RUSSELL

    1. (C) Text of the first paragraph ...

Keys are case-insensitive; ``To``, ``Info``, ``Caption``, ``Passing``, ``Ref`` and
``Recipient`` may repeat (one value each); ``Tags`` and ``Reasons`` take several values.
Header lines starting with ``#`` are comments (the editor template explains the keys in
them). The other keys: ``Info-Precedence``, ``Classification`` (a level the banner must at
least reach).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

from cablegram.model import Level, Precedence
from cablegram.traffic.drafts import DraftContent, DraftError

_REPEATED = {
    "to": "to",
    "info": "info",
    "caption": "captions",
    "passing": "passing",
    "ref": "references",
    "recipient": "recipients",
}
_LISTS = {"tags": "tags", "reasons": "reasons"}
_SINGLE: dict[str, tuple[str, Callable[[str], object]]] = {
    "from": ("origin", str),
    "precedence": ("precedence", Precedence.from_label),
    "info-precedence": ("info_precedence", Precedence.from_label),
    "classification": ("classification", Level.from_name),
    "subject": ("subject", str),
    "classified-by": ("classified_by", str),
    "declassify": ("declassify", str),
    "signature": ("signature", str),
}
_ORDER = (
    ("From", "origin"),
    ("To", "to"),
    ("Info", "info"),
    ("Precedence", "precedence"),
    ("Info-Precedence", "info_precedence"),
    ("Classification", "classification"),
    ("Caption", "captions"),
    ("Passing", "passing"),
    ("Tags", "tags"),
    ("Subject", "subject"),
    ("Ref", "references"),
    ("Classified-By", "classified_by"),
    ("Reasons", "reasons"),
    ("Declassify", "declassify"),
    ("Recipient", "recipients"),
    ("Signature", "signature"),
)

TEMPLATE_HELP = """\
# A cable draft. Header lines first (one 'Key: value' each), a blank line, then the body.
# To, Info, Caption, Passing, Ref and Recipient repeat; Tags and Reasons take a list.
# Precedence: FLASH, NIACT IMMEDIATE, IMMEDIATE, PRIORITY or ROUTINE.
# Body: '1. (C) text' numbered and marked paragraphs (every one marked), '## Heading'
# before a paragraph, unmarked text before paragraph 1 is an introduction; a line ending
# in '\\' keeps its line break. Lines starting with '#' in this header are ignored.
"""


def parse_draft(text: str) -> DraftContent:
    """The draft in ``text``; `DraftError` names the line of a bad header."""
    lines = text.splitlines()
    values: dict[str, object] = {name: [] for name in (*_REPEATED.values(), *_LISTS.values())}
    body_start = len(lines)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            body_start = number
            break
        if line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not colon:
            raise DraftError(f"expected 'Key: value' in the header, got {line!r}", number)
        if key in _REPEATED:
            if value:
                _list(values, _REPEATED[key]).append(value)
        elif key in _LISTS:
            _list(values, _LISTS[key]).extend(value.replace(",", " ").split())
        elif key in _SINGLE:
            name, convert = _SINGLE[key]
            try:
                values[name] = convert(value) if value else None
            except ValueError as error:
                raise DraftError(str(error), number) from None
        else:
            raise DraftError(f"unknown header key {key!r}", number)
    origin = values.pop("origin", None)
    if not origin:
        raise DraftError("the header needs 'From: POST'")
    body = "\n".join(lines[body_start:]).strip("\n")
    content = DraftContent(origin=str(origin), to=(), body=body + "\n" if body else "")
    known = {f.name for f in fields(DraftContent)}
    changes = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in values.items()
        if name in known and value is not None
    }
    return replace(content, **changes)  # type: ignore[arg-type]


def format_draft(content: DraftContent, help_text: bool = False) -> str:
    """The text file of a draft; `parse_draft` reads it back to the same content."""
    lines = [TEMPLATE_HELP.rstrip("\n")] if help_text else []
    for key, name in _ORDER:
        value = getattr(content, name)
        if isinstance(value, tuple):
            if name in ("tags", "reasons"):
                if value:
                    lines.append(f"{key}: {' '.join(value)}")
            else:
                lines.extend(f"{key}: {item}" for item in value)
        elif isinstance(value, Precedence):
            lines.append(f"{key}: {value.label}")
        elif isinstance(value, Level):
            lines.append(f"{key}: {value.name}")
        elif value is not None:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n\n" + content.body


def _list(values: dict[str, object], name: str) -> list[str]:
    found = values[name]
    assert isinstance(found, list)
    return found
