"""The cable traffic pages (issue 6, item 6): drafting, the clearance queue and the inbox.

=======================================  ==============================================
``GET /traffic/drafts``                  the reader's drafts (state, lint findings,
                                         clearances) and the form for a new draft
``POST /traffic/drafts``                 create a draft (composed and linted on save)
``POST /traffic/drafts/{id}/submit``     send a draft to its named clearers
``GET /traffic/clearances``              drafts awaiting the reader's clearance
``POST /traffic/clearances/{id}/clear``  clear one (optional comment)
``POST /traffic/clearances/{id}/return`` return one to its drafter (comment required)
``GET /traffic/inbox``                   the queues of the reader's offices and their own
``POST /traffic/inbox/ack``              acknowledge a delivery for an office
=======================================  ==============================================

The pages are a thin layer over `cablegram.traffic`, the services the CLI uses (``draft``,
``clear``, ``return``, ``inbox``, ``ack``): they check roles, offices, clearance and state,
and write their own audit entries (``draft.new``, ``draft.clear``, ``traffic.inbox``,
``traffic.ack`` ...). The listings of drafts and clearances are recorded here as reads
(`cablegram.web.deps.record`: ``traffic.drafts``, ``traffic.clearances``, with the draft
ids, never their text), as the other pages record theirs; the inbox is recorded by the
inbox service with the cable ids it showed.

**One clock.** The traffic system of a request uses the application's clock
(`cablegram.web.deps.WebState.clock`), so deadlines, date-time groups and sessions agree,
and tests set the time of all of them at once. A traffic system (``traffic.sqlite``, the
user store and the audit trail of the archive) is opened per request and closed after it,
in the event loop's thread like every SQLite connection of the application.

**The inbox** (docs/traffic.md, "Queues") lists deliveries by precedence, then the
cable's DTG: FLASH, NIACT IMMEDIATE (flagged: the addressee acts at once, day or night,
5 FAH-2 H-420), IMMEDIATE, PRIORITY, ROUTINE. Each cable is the reader's view
(`cablegram.access.view`, applied by the inbox service): withheld portions show their
placeholders. A FLASH delivery not acknowledged within `FLASH_DEADLINE` (ACP 127's ten
minutes in-station) is marked overdue.

**The draft form** takes the fields of the draft file (docs/traffic.md, "Drafting"): one
addressee per line (an address may hold spaces and commas: ``SECDEF WASHDC``,
``COLLECTIVE XMT POST, POST``), TAGS and reason letters separated by spaces, and the body
in the draft body format (``1. (C) text``, ``## Heading``, blank lines between blocks).
A draft that cannot be composed comes back with the form as written and the error (400);
lint errors and warnings of a saved draft are listed with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from cablegram.access import Role
from cablegram.model import Level, Precedence
from cablegram.traffic import (
    Actor,
    AddressError,
    DraftContent,
    DraftError,
    DraftState,
    DraftView,
    Traffic,
    TrafficError,
    acknowledge,
    clear,
    inbox,
    list_drafts,
    new_draft,
    return_draft,
    submit,
)
from cablegram.traffic.workflow import PENDING
from cablegram.web import deps
from cablegram.web.deps import Reading, record
from cablegram.web.pages.common import TEMPLATES, ReaderStatus, badge_class

router = APIRouter()

PRECEDENCE_CLASSES = {
    Precedence.FLASH: "prec-flash",
    Precedence.NIACT_IMMEDIATE: "prec-niact",
    Precedence.IMMEDIATE: "prec-immediate",
    Precedence.PRIORITY: "prec-priority",
    Precedence.ROUTINE: "prec-routine",
}
"""The CSS class of each precedence badge (static/cablegram.css)."""
MAX_FIELD = 2_000
MAX_BODY = 200_000
"""Characters of a draft body (the seed's is about 20,000)."""


async def open_traffic(request: Request) -> AsyncIterator[Traffic]:
    """The archive's traffic system for one request, on the application's clock."""
    state = deps.web_state(request)
    traffic = Traffic(state.archive.path, clock=state.clock, key_dir=state.audit.key_path.parent)
    try:
        yield traffic
    finally:
        traffic.close()


ReaderDep = Annotated[Reading, Depends(deps.reading)]
TrafficDep = Annotated[Traffic, Depends(open_traffic)]


def _page(
    request: Request,
    reader: Reading,
    template: str,
    context: dict[str, Any],
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    status_line = ReaderStatus(
        name=reader.name,
        clearance=reader.user.clearance.word,
        as_of=reader.as_of.isoformat(),
        pinned=reader.pinned,
        may_set_as_of=reader.may_set_as_of,
        csrf_token=reader.csrf_token or "",
        here=here,
    )
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "reader": status_line,
            "badge_class": badge_class,
            "precedence_class": {p.value: c for p, c in PRECEDENCE_CLASSES.items()},
            **context,
        },
        status_code=status_code,
    )


def _redirect(request: Request, name: str, **query: str | int) -> RedirectResponse:
    target = request.url_for(name).include_query_params(**query)
    return RedirectResponse(
        f"{target.path}?{target.query}" if target.query else target.path,
        status.HTTP_303_SEE_OTHER,
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- drafting ----------------------------------------------------------------------------


def _drafts_context(
    traffic: Traffic, actor: Actor, form: dict[str, str], error: str | None
) -> dict[str, Any]:
    mine = [d for d in list_drafts(traffic, actor) if d.drafter == actor.name]
    return {
        "drafts": sorted(mine, key=lambda d: d.id, reverse=True),
        "may_draft": actor.has(Role.DRAFTER),
        "precedences": [p.value for p in Precedence],
        "levels": [level.name for level in Level],
        "offices": sorted(actor.principal.offices),
        "form": form,
        "error": error,
        "editable": (DraftState.DRAFT, DraftState.RETURNED),
    }


@router.get("/traffic/drafts", name="traffic_drafts")
async def drafts_view(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    created: Annotated[int | None, Query(ge=1)] = None,
    submitted: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    actor = Actor.of(reader.principal)
    context = _drafts_context(traffic, actor, {}, None)
    context.update(created=created, submitted=submitted)
    record(
        request,
        reader,
        "traffic.drafts",
        reader.name,
        {"drafts": [d.id for d in context["drafts"]]},
    )
    return _page(request, reader, "traffic_drafts.html", context)


@router.post("/traffic/drafts", name="traffic_new_draft", response_model=None)
async def create_draft(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    origin: Annotated[str, Form(max_length=100)],
    to: Annotated[str, Form(max_length=MAX_FIELD)],
    subject: Annotated[str, Form(max_length=MAX_FIELD)],
    body: Annotated[str, Form(max_length=MAX_BODY)],
    precedence: Annotated[str, Form(max_length=20)] = Precedence.ROUTINE.value,
    info: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    tags: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    captions: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    references: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    classification: Annotated[str, Form(max_length=20)] = "",
    classified_by: Annotated[str, Form(max_length=200)] = "",
    reasons: Annotated[str, Form(max_length=100)] = "",
    declassify: Annotated[str, Form(max_length=200)] = "",
    recipients: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    signature: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse | RedirectResponse:
    """Save a new draft; on success back to the list (where its findings show), else the
    form again with what was written and why it was refused."""
    actor = Actor.of(reader.principal)
    written = {
        "origin": origin,
        "to": to,
        "info": info,
        "precedence": precedence,
        "subject": subject,
        "tags": tags,
        "captions": captions,
        "references": references,
        "classification": classification,
        "classified_by": classified_by,
        "reasons": reasons,
        "declassify": declassify,
        "recipients": recipients,
        "signature": signature,
        "body": body,
    }
    try:
        chosen = Precedence.from_label(precedence)
        level = Level[classification] if classification else None
    except (ValueError, KeyError):
        return _refused(request, reader, traffic, actor, written, "choose a precedence and level")
    content = DraftContent(
        origin=origin.strip().upper(),
        to=_lines(to),
        info=_lines(info),
        precedence=chosen,
        classification=level,
        captions=_lines(captions),
        tags=_words(tags),
        subject=subject.strip(),
        references=_lines(references),
        classified_by=classified_by.strip() or None,
        reasons=_words(reasons),
        declassify=declassify.strip() or None,
        recipients=_words(recipients),
        signature=signature.strip() or None,
        body=body.replace("\r\n", "\n"),
    )
    try:
        draft = new_draft(traffic, actor, content)
    except (TrafficError, DraftError, AddressError) as error:
        return _refused(request, reader, traffic, actor, written, str(error))
    return _redirect(request, "traffic_drafts", created=draft.id)


def _refused(
    request: Request,
    reader: Reading,
    traffic: Traffic,
    actor: Actor,
    written: dict[str, str],
    error: str,
) -> HTMLResponse:
    context = _drafts_context(traffic, actor, written, error)
    context.update(created=None, submitted=None)
    return _page(request, reader, "traffic_drafts.html", context, status.HTTP_400_BAD_REQUEST)


@router.post("/traffic/drafts/{draft_id}/submit", name="traffic_submit", response_model=None)
async def submit_draft(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    draft_id: int,
    clearers: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> HTMLResponse | RedirectResponse:
    """Send the draft to the clearers named (user names separated by spaces or commas)."""
    actor = Actor.of(reader.principal)
    try:
        submit(traffic, actor, draft_id, clearers.replace(",", " ").split())
    except TrafficError as error:
        return _refused(request, reader, traffic, actor, {}, str(error))
    return _redirect(request, "traffic_drafts", submitted=draft_id)


# --- clearance ---------------------------------------------------------------------------


def _awaiting(traffic: Traffic, actor: Actor) -> list[DraftView]:
    """Submitted drafts in which the actor's clearance is still pending."""
    return [
        d
        for d in list_drafts(traffic, actor, DraftState.SUBMITTED)
        if any(c.clearer == actor.name and c.status == PENDING for c in d.clearances)
    ]


def _clearances_page(
    request: Request,
    reader: Reading,
    traffic: Traffic,
    done: str | None,
    error: str | None = None,
) -> HTMLResponse:
    actor = Actor.of(reader.principal)
    drafts = _awaiting(traffic, actor)
    record(request, reader, "traffic.clearances", reader.name, {"drafts": [d.id for d in drafts]})
    context = {
        "drafts": drafts,
        "may_clear": actor.has(Role.CLEARER),
        "done": done,
        "error": error,
    }
    code = status.HTTP_400_BAD_REQUEST if error else status.HTTP_200_OK
    return _page(request, reader, "traffic_clearances.html", context, code)


@router.get("/traffic/clearances", name="traffic_clearances")
async def clearances_view(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    done: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    return _clearances_page(request, reader, traffic, done)


@router.post("/traffic/clearances/{draft_id}/clear", name="traffic_clear", response_model=None)
async def clear_draft(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    draft_id: int,
    comment: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        clear(traffic, Actor.of(reader.principal), draft_id, comment.strip() or None)
    except TrafficError as error:
        return _clearances_page(request, reader, traffic, None, str(error))
    return _redirect(request, "traffic_clearances", done=f"draft {draft_id} cleared")


@router.post("/traffic/clearances/{draft_id}/return", name="traffic_return", response_model=None)
async def return_to_drafter(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    draft_id: int,
    comment: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        return_draft(traffic, Actor.of(reader.principal), draft_id, comment)
    except TrafficError as error:
        return _clearances_page(request, reader, traffic, None, str(error))
    return _redirect(request, "traffic_clearances", done=f"draft {draft_id} returned")


# --- the inbox ---------------------------------------------------------------------------


def _inbox_page(
    request: Request,
    reader: Reading,
    traffic: Traffic,
    done: str | None,
    error: str | None = None,
) -> HTMLResponse:
    items = inbox(traffic, Actor.of(reader.principal))
    context = {
        "items": items,
        "now": traffic.now(),
        "done": done,
        "error": error,
    }
    code = status.HTTP_400_BAD_REQUEST if error else status.HTTP_200_OK
    return _page(request, reader, "traffic_inbox.html", context, code)


@router.get("/traffic/inbox", name="traffic_inbox")
async def inbox_view(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    done: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    return _inbox_page(request, reader, traffic, done)


@router.post("/traffic/inbox/ack", name="traffic_ack", response_model=None)
async def acknowledge_delivery(
    request: Request,
    reader: ReaderDep,
    traffic: TrafficDep,
    cable_id: Annotated[str, Form(min_length=1, max_length=100)],
    office: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse | RedirectResponse:
    """Acknowledge a delivery for the office named (or for the reader, a named recipient)."""
    try:
        acknowledge(traffic, Actor.of(reader.principal), cable_id, office.strip() or None)
    except TrafficError as error:
        return _inbox_page(request, reader, traffic, None, str(error))
    return _redirect(request, "traffic_inbox", done=f"{cable_id} acknowledged")
