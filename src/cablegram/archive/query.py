"""The search query language: text -> syntax tree, with errors that point into the query.

Documented for users in ``docs/query-language.md``. The grammar, loosest binding first::

    query    := or_expr | (nothing: matches every cable)
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*        two terms side by side mean AND
    unary    := ("NOT" | "-") unary | primary  "-" must touch its term: -word, -"a b"
    primary  := "(" or_expr ")" | WORD | "PHRASE" | FIELD ":" (WORD | "PHRASE")

``AND``, ``OR`` and ``NOT`` are operators only in capitals; ``and`` is a word. A word is a
run of characters other than white space, parentheses and double quotes, and must contain
a letter or digit (the index splits text into alphanumeric tokens, so ``&`` alone could
never match). A word made of several tokens (``U/S``, ``Shchuch'ye``) is searched as a
phrase. A phrase cannot contain a double quote (there is no escape).

Field filters (``name:value``, value quoted or not, no space after the colon):
``tag`` ``origin`` ``caption`` ``ref`` ``id`` (exact codes, case-insensitive),
``classification`` (a level: ``S``, ``SECRET``, ``confidential``, ``LOU`` ...),
``person`` (a name or surname), ``subject`` (a word or phrase in the subject line) and
``date`` (``2007``, ``2007-03``, ``2007-03-09``, a range ``2007-01..2007-06``, open ranges
``..2007-06`` and ``2007..``; each end covers its whole year, month or day). A word of
letters followed by a colon is a field name, so an unknown one (``note:x``) is an error;
quote it to search the text.

The tree (`Term`, `Phrase`, `Field`, `Range`, `And`, `Or`, `Not`, `Everything`) keeps
what the user wrote (case, quotes); values are normalised where the tree is turned into an
index query (`cablegram.archive.index`). `format_query` writes a tree back as a query that
parses to the same tree. Every malformed query raises `QuerySyntaxError`, whose text
shows the query with a caret under the offending position.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import assert_never

from cablegram.model import Level

RAW_FIELDS = ("tag", "origin", "caption", "ref", "id", "person")
"""Fields whose value is one code or name, not text."""
FIELDS = (*RAW_FIELDS, "classification", "subject", "date")
OPERATORS = ("AND", "OR", "NOT")
_FIELD_PREFIX = re.compile(r"([A-Za-z]+):")
_DATE_END = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SPECIAL = '()"'


class QuerySyntaxError(ValueError):
    """A malformed query; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int, query: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.query = query

    def __str__(self) -> str:
        if not self.query:
            return f"{self.message} (at position {self.position})"
        # White space shown as spaces keeps the caret under its character.
        shown = "".join(" " if char.isspace() else char for char in self.query)
        return f"{self.message} (at position {self.position})\n  {shown}\n  " + (
            " " * self.position + "^"
        )


@dataclass(frozen=True)
class Term:
    word: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Field:
    name: str
    """Lowercase field name, one of `FIELDS` other than ``date``."""
    value: str
    quoted: bool = False


@dataclass(frozen=True)
class Range:
    """``date:start..end``; an end is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None when
    open. ``start == end`` is written ``date:start``."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Everything:
    """The empty query: every cable the reader may see."""


Node = Term | Phrase | Field | Range | And | Or | Not | Everything


class _Kind(enum.Enum):
    WORD = "word"
    PHRASE = "phrase"
    FIELD = "field"
    LPAREN = "("
    RPAREN = ")"
    MINUS = "-"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    END = "end of query"


@dataclass(frozen=True)
class _Token:
    kind: _Kind
    text: str
    position: int


def parse_query(query: str) -> Node:
    """The tree of ``query``; raises `QuerySyntaxError`."""
    try:
        return _Parser(_tokens(query), len(query)).parse()
    except QuerySyntaxError as error:
        raise QuerySyntaxError(error.message, error.position, query) from None


def _tokens(query: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    while position < len(query):
        char = query[position]
        if char.isspace():
            position += 1
        elif char in "()":
            found.append(_Token(_Kind(char), char, position))
            position += 1
        elif char == '"':
            position = _phrase(query, position, found)
        elif char == "-":
            following = query[position + 1 : position + 2]
            if not following or following.isspace() or following == ")":
                raise QuerySyntaxError("'-' must be followed by a term", position)
            found.append(_Token(_Kind.MINUS, char, position))
            position += 1
        else:
            position = _word(query, position, found)
    found.append(_Token(_Kind.END, "", len(query)))
    return found


def _phrase(query: str, start: int, found: list[_Token]) -> int:
    end = query.find('"', start + 1)
    if end < 0:
        raise QuerySyntaxError("unterminated phrase: missing '\"'", start)
    text = query[start + 1 : end]
    if not text.strip():
        raise QuerySyntaxError("empty phrase", start)
    found.append(_Token(_Kind.PHRASE, text, start))
    return end + 1


def _word(query: str, start: int, found: list[_Token]) -> int:
    end = start
    while end < len(query) and not query[end].isspace() and query[end] not in _SPECIAL:
        end += 1
    word = query[start:end]
    prefix = _FIELD_PREFIX.match(word)
    if prefix:
        name = prefix[1]
        if name.lower() not in FIELDS:
            raise QuerySyntaxError(
                f"unknown field {name!r} (fields: {', '.join(FIELDS)}; "
                'quote the word to search for it as text: "' + word + '")',
                start,
            )
        found.append(_Token(_Kind.FIELD, name.lower(), start))
        value_start = start + len(name) + 1
        if value_start < end:
            found.append(_Token(_Kind.WORD, query[value_start:end], value_start))
            return end
        if end < len(query) and query[end] == '"':
            return _phrase(query, end, found)
        raise QuerySyntaxError(f"expected a value after '{name}:'", value_start)
    if word in OPERATORS:
        found.append(_Token(_Kind(word), word, start))
    else:
        found.append(_Token(_Kind.WORD, word, start))
    return end


_STARTS_TERM = frozenset(
    {_Kind.WORD, _Kind.PHRASE, _Kind.FIELD, _Kind.LPAREN, _Kind.MINUS, _Kind.NOT}
)


class _Parser:
    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.length = length

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def at(self, *kinds: _Kind) -> bool:
        return self.tokens[self.index].kind in kinds

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.at(_Kind.END):
            return Everything()
        node = self.or_expr()
        # or_expr stops only at the end or at a ')' that opens nothing.
        if self.at(_Kind.RPAREN):
            raise QuerySyntaxError("unmatched ')'", self.current.position)
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.at(_Kind.OR):
            self.advance()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while True:
            if self.at(_Kind.AND):
                self.advance()
                items.append(self.unary())
            elif self.at(*_STARTS_TERM):
                items.append(self.unary())
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        if self.at(_Kind.NOT, _Kind.MINUS):
            self.advance()
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.advance()
        if token.kind is _Kind.LPAREN:
            if self.at(_Kind.RPAREN):
                raise QuerySyntaxError("empty parentheses", self.current.position)
            node = self.or_expr()
            if not self.at(_Kind.RPAREN):
                raise QuerySyntaxError("missing ')' for this '('", token.position)
            self.advance()
            return node
        if token.kind is _Kind.WORD:
            _require_searchable(token.text, token.position)
            return Term(token.text)
        if token.kind is _Kind.PHRASE:
            _require_searchable(token.text, token.position)
            return Phrase(token.text)
        if token.kind is _Kind.FIELD:
            return self.field(token.text)
        previous = self.tokens[self.index - 2].text if self.index >= 2 else ""
        after = f" after {previous!r}" if previous else ""
        if token.kind is _Kind.END:
            raise QuerySyntaxError(f"the query ends where a term was expected{after}", self.length)
        raise QuerySyntaxError(f"expected a term, found {token.text!r}{after}", token.position)

    def field(self, name: str) -> Node:
        value = self.advance()  # the lexer always puts a WORD or PHRASE after a FIELD
        if name == "date":
            return _date_range(value.text, value.position)
        if name == "classification":
            try:
                Level.from_name(value.text)
            except ValueError:
                raise QuerySyntaxError(
                    f"unknown classification {value.text!r} "
                    "(use U, SBU, LOU, C, S, TS or the full word)",
                    value.position,
                ) from None
        if name == "subject":
            _require_searchable(value.text, value.position)
        return Field(name, value.text, quoted=value.kind is _Kind.PHRASE)


def _require_searchable(text: str, position: int) -> None:
    if not any(char.isalnum() for char in text):
        raise QuerySyntaxError(f"{text!r} has no letter or digit to search for", position)


def _date_range(text: str, position: int) -> Range:
    value = text.strip()
    if ".." not in value:
        _date_end(value, position)
        return Range(value, value)
    start, _, end = value.partition("..")
    if not start and not end:
        raise QuerySyntaxError("a date range needs at least one end", position)
    first = _date_end(start, position) if start else None
    last = _date_end(end, position + len(start) + 2) if end else None
    if first is not None and last is not None and first[0] > last[1]:
        raise QuerySyntaxError(f"the date range {value!r} ends before it starts", position)
    return Range(start or None, end or None)


def _date_end(text: str, position: int) -> tuple[date, date]:
    """The first and last day an end of a date range covers."""
    bounds = date_bounds(text)
    if bounds is None:
        raise QuerySyntaxError(f"bad date {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)", position)
    return bounds


def date_bounds(text: str) -> tuple[date, date] | None:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None if malformed."""
    match = _DATE_END.fullmatch(text)
    if match is None:
        return None
    year, month, day = match[1], match[2], match[3]
    try:
        if day is not None:
            exact = date(int(year), int(month), int(day))
            return exact, exact
        if month is not None:
            first = date(int(year), int(month), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, date.fromordinal(following.toordinal() - 1)
        return date(int(year), 1, 1), date(int(year), 12, 31)
    except ValueError:
        return None


def format_query(node: Node) -> str:
    """A query text that `parse_query` reads back as ``node``."""
    match node:
        case Everything():
            return ""
        case Term(word):
            return word
        case Phrase(text):
            return f'"{text}"'
        case Field(name, value, quoted):
            return f'{name}:"{value}"' if quoted else f"{name}:{value}"
        case Range(start, end):
            if start is not None and start == end:
                return f"date:{start}"
            return f"date:{start or ''}..{end or ''}"
        case Not(item):
            return "-" + _grouped(item, (And, Or))
        case And(items):
            return " ".join(_grouped(item, (And, Or)) for item in items)
        case Or(items):
            return " OR ".join(_grouped(item, (Or,)) for item in items)
    assert_never(node)


def _grouped(node: Node, compound: tuple[type, ...]) -> str:
    text = format_query(node)
    return f"({text})" if isinstance(node, compound) else text
