"""The web pages (issue 5, item 2): server-rendered with Jinja2, one route each.

============================  =================================================
``GET /login``                the login form (posts to `cablegram.web.auth`)
``GET /search``               query box, facets, date histogram, hits, export links
``GET /cables/{id}``          the cable reader (``?version=N`` for an older version)
``GET /cables/{id}/text``     the telegram as the reader may see it, plain text
``GET /cables/{id}/graph``    the reference graph around it (SVG)
``GET /people``               the people the cables name (``?q=``: of a query's cables)
``GET /person?key=``          one person and the cables naming them
``GET /organisations``        organisation and country TAGS (``?q=`` likewise)
``GET /tag?code=``            one TAG: its meanings and its cables
``GET /user``                 the reader's account and API tokens
``POST /user/tokens``         create a token (shown once)
``POST /user/tokens/revoke``  revoke one of the reader's tokens
``POST /as-of``               reviewers and admins: pin the as-of day of their pages
============================  =================================================

Who reads and on which day comes from `cablegram.web.deps.reading` (authentication and
CSRF are `cablegram.web.auth.guard`'s, for the whole application): every page is the
reader's view on their as-of day, through the same services as the CLI (search,
`show`, `refs`, `thread`, `people`). Every read, search and listing is written to the
audit trail (`cablegram.web.deps.record`) with the reader's name, as the CLI does.
Routes are ``async def`` (`cablegram.web.deps`: the SQLite connections belong to the
event loop's thread).
"""

from cablegram.web.pages.routes import router
from cablegram.web.pages.traffic import router as traffic_router

router.include_router(traffic_router)  # the traffic pages: cablegram.web.pages.traffic

__all__ = ["router"]
