"""The request body size limit: a declared ``Content-Length`` over it is refused before the app
runs, and a body without one (chunked) is counted while it streams in.

FastAPI's own ``max_body_size`` would do the counting, but it answers a declared oversize body
with a plain-text 413; this one answers problem+json like every other error.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ContentTooLarge, app_error_response


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        for name, value in scope["headers"]:
            if name == b"content-length":
                if value.isdigit() and int(value) > limit:
                    error = ContentTooLarge(limit)
                    await app_error_response(Request(scope), error)(scope, receive, send)
                    return
                break
        received = 0

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise ContentTooLarge(limit)
            return message

        await self.app(scope, receive_counted, send)
