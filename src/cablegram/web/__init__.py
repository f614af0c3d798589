"""The web application and HTTP API (issue 5): FastAPI on uvicorn, served by
``cablegram serve``.

Modules: `app` (`create_app`: routes, security headers, error handling), `auth`
(sessions, API tokens, CSRF, login and its rate limit), `deps` (the dependencies routes
share: the archive, the reader and their as-of day, the audit trail), `api` (``/api/v1``),
`models` (the API's response models), `problems` (problem+json and error pages), `pages`
(the server-rendered pages, `templates/` and `static/`). The security model is in
docs/security.md, "Web application".
"""

from cablegram.web.app import create_app

__all__ = ["create_app"]
