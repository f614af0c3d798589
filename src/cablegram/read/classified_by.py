"""The "Classified By" line: who classified the cable and why (spec §2.4).

Output field: ``classified_by`` (name, title, reasons a-h, the section cited: 1.4 since
E.O. 13292 of 2003, 1.5 before).

Forms seen: ``Classified By: DCM Daniel A. Russell for reasons 1.4 (b/d).`` ·
``Classified By: Charg d'Affaires a.i. Leigh Carter; reasons 1.4(b) and (d).`` ·
``CLASSIFIED BY: Chris Stevens, CDA, Embassy Tripoli, Dept of State. REASON: 1.4 (b), (d)``
· ``Classified By: RM A/S Brad Higgins, For Reasons 1.4 (d) and (g).`` ·
``Classified By: AMBASSADOR PHILIP D. MURPHY FOR REASONS 1.4 (B) and (D)`` · wrapped over
two lines, sometimes mid-word (``an\\nd (d)``).

The title is either written before the name (a run of title words: ``DCM``, ``Political
Counselor``, ``Charge d'Affaires a.i.``) or after it, separated by a comma.
"""

from __future__ import annotations

import re

from cablegram.model import ClassifiedBy

CLASSIFIED_BY_LABEL = re.compile(r"^\s*\(?U?\)?\s*CLASSIFIED\s+BY\s*[:;.]?\s*", re.IGNORECASE)
_REASON_START = re.compile(
    r"[,;.]?\s*(?:\bfor\s+)?\breasons?\b\s*[:.]?|[,;.]?\s*(?:\bfor\s+|\bunder\s+)?\b(?:E\.?O\.?\s*1[23]\d{3}\s*,?\s*)?(?:sec(?:tion)?\.?\s*)?(?=1\s?\.\s?[45]\b)",
    re.IGNORECASE,
)
_SECTION = re.compile(r"\b1\s?\.\s?([45])\b")
_LETTER = re.compile(r"(?<![A-Za-z'])([a-hA-H])(?![A-Za-z'])")

#: Words that make up titles written before a name (compared in upper case).
TITLE_WORDS = frozenset(
    """
    AMBASSADOR AMB AMB. DCM CDA CHARGE CHARG CHARGÉ D'AFFAIRES D'AFFAIRES, A.I. A.I. AI
    ACTING DEPUTY CHIEF OF MISSION POLITICAL ECONOMIC ECON POL POLITICAL/ECONOMIC POLECON
    COUNSELOR COUNSELLOR COUNSELOR, MINISTER MINISTER-COUNSELOR CONSUL GENERAL CG PO
    PRINCIPAL OFFICER SECTION HEAD DIRECTOR ASSISTANT SECRETARY UNDER SPECIAL ENVOY
    COORDINATOR ADVISOR ADVISER REPRESENTATIVE AMBASSADOR-AT-LARGE PERMANENT ALTERNATE
    MANAGEMENT PUBLIC AFFAIRS REGIONAL SECURITY RSO DATT DAO ATTACHE DEFENSE MILITARY
    POLOFF ECONOFF POLCOUNS ECONCOUNS EMBASSY CONSULATE MISSION THE INTERIM A/DCM
    DEPUTY-CHIEF CONSUL-GENERAL AND FOR LABOR AGRICULTURAL COMMERCIAL ENVIRONMENT
    SCIENCE TECHNOLOGY HEALTH NARCOTICS LAW ENFORCEMENT AFFAIRS, OFFICER, ACTING,
    """.split()
)


def classified_by(text: str) -> ClassifiedBy | None:
    """Parse a Classified By fragment (label optional); None when nothing is there."""
    flat = " ".join(text.split())
    flat = CLASSIFIED_BY_LABEL.sub("", flat, count=1)
    if not flat:
        return None
    reason_match = _REASON_START.search(flat)
    who = flat[: reason_match.start()] if reason_match else flat
    tail = flat[reason_match.start() :] if reason_match else ""
    section_match = _SECTION.search(tail)
    section = f"1.{section_match.group(1)}" if section_match else None
    reasons: list[str] = []
    if section_match:
        for letter in _LETTER.findall(tail[section_match.end() :]):
            lower = letter.lower()
            if lower not in reasons:
                reasons.append(lower)
    title, name = split_title(who.strip(" ,;.:"))
    if name is None and title is None and not reasons:
        return None
    return ClassifiedBy(name=name, title=title, reasons=tuple(sorted(reasons)), section=section)


def split_title(who: str) -> tuple[str | None, str | None]:
    """``DCM Daniel A. Russell`` -> (``DCM``, ``Daniel A. Russell``);
    ``Chris Stevens, CDA, Embassy Tripoli`` -> (``CDA, Embassy Tripoli``, ``Chris Stevens``)."""
    if not who:
        return None, None
    tokens = who.split()
    # Office abbreviations (RM, PRM, EEB) read as titles only where names are not in capitals.
    mixed_case = who.upper() != who
    count = 0
    while count < len(tokens) - 1 and _is_title_word(tokens[count], mixed_case):
        count += 1
    if count:
        title = " ".join(tokens[:count]).rstrip(",")
        rest = " ".join(tokens[count:])
        name, _, trailing = rest.partition(",")
        if trailing.strip():
            title = f"{title}, {trailing.strip()}"
        return title, name.strip() or None
    name, _, title_text = who.partition(",")
    return (title_text.strip() or None), name.strip() or None


def _is_title_word(token: str, mixed_case: bool) -> bool:
    upper = token.upper()
    if upper in TITLE_WORDS or ("/" in token and len(token) <= 12):
        return True
    return mixed_case and token.isupper() and token.isalpha() and 2 <= len(token) <= 5
