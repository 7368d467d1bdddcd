"""Every error the API returns, mapped to its HTTP status in one place.

Bodies are always ``{"detail": "<one sentence>"}`` (the pages get the sentence as HTML). zhenkg's own errors (``graph.errors``) map
by class; the upload checks raise the few API-only errors below; FastAPI's request validation
becomes 422 naming the field.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    AnswerTooLarge,
    InvalidChainTemplate,
    InvalidRegister,
    ReadOnlyViolation,
    StoreUnavailable,
    UnknownChain,
    UnknownNode,
    UnknownTask,
    UnknownUnit,
    UnreadableDocument,
    ZhenkgError,
)


class ErrorBody(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"detail": "No unit named '县某局'"}]}
    )

    detail: str


class ApiError(ZhenkgError):
    """An error only the HTTP interface raises; ``code`` is its HTTP status."""

    code: ClassVar[int] = status.HTTP_400_BAD_REQUEST
    headers: ClassVar[dict[str, str] | None] = None


class Unauthorized(ApiError):
    """No bearer token, or the wrong one."""

    code: ClassVar[int] = status.HTTP_401_UNAUTHORIZED
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class UploadsDisabled(ApiError):
    """The server has no upload token configured."""

    code: ClassVar[int] = status.HTTP_403_FORBIDDEN


class AmbiguousName(ApiError):
    """A plain name matches several nodes (the message lists their ids)."""

    code: ClassVar[int] = status.HTTP_409_CONFLICT


class UploadTooLarge(ApiError):
    """The upload passed ``ZHENKG_MAX_UPLOAD``."""

    code: ClassVar[int] = status.HTTP_413_CONTENT_TOO_LARGE


class UnsupportedUpload(ApiError):
    """The upload's extension or content type is not one zhenkg reads."""

    code: ClassVar[int] = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE


class InvalidParameter(ApiError):
    """A parameter FastAPI cannot check by itself is wrong (an unknown node type, no file)."""

    code: ClassVar[int] = status.HTTP_422_UNPROCESSABLE_CONTENT


class GraphUnavailable(ApiError):
    """The question needs the embedded graph, and the store is a Cypher server."""

    code: ClassVar[int] = status.HTTP_501_NOT_IMPLEMENTED


# Most specific first: the first class an error is an instance of decides.
STATUS: list[tuple[type[ZhenkgError], int]] = [
    (UnknownUnit, status.HTTP_404_NOT_FOUND),
    (UnknownTask, status.HTTP_404_NOT_FOUND),
    (UnknownNode, status.HTTP_404_NOT_FOUND),
    (UnknownChain, status.HTTP_404_NOT_FOUND),
    (UnreadableDocument, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (InvalidChainTemplate, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (InvalidRegister, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (AnswerTooLarge, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (ReadOnlyViolation, status.HTTP_400_BAD_REQUEST),
    (StoreUnavailable, status.HTTP_503_SERVICE_UNAVAILABLE),
]


def status_of(exc: ZhenkgError) -> int:
    """The HTTP status of a zhenkg error (400 for one the table does not name).

    >>> status_of(UnknownUnit("x")), status_of(StoreUnavailable("x")), status_of(UploadTooLarge())
    (404, 503, 413)
    """
    if isinstance(exc, ApiError):
        return exc.code
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return status.HTTP_400_BAD_REQUEST


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error codes a route can return."""
    described = {
        401: "Missing or wrong bearer token",
        403: "Uploads are disabled: the server has no ZHENKG_API_TOKEN",
        404: "Unknown id or name (the message names it)",
        409: "A plain name matches several nodes: give the id",
        413: "Upload larger than ZHENKG_MAX_UPLOAD",
        415: "Unsupported file type (.txt .docx .pdf .html .htm)",
        422: "Invalid parameter (named), a document that cannot be read, or an answer larger "
        "than its limit (the message says how to narrow it)",
        501: "Needs the embedded graph store",
        503: "The store cannot be reached or is locked",
    }
    return {c: {"model": ErrorBody, "description": described.get(c, "Error")} for c in codes}


def _is_page(request: Request) -> bool:
    path = request.url.path
    return path == "/" or path.startswith("/pages/") or path == "/pages"


PAGE_TITLE = {
    400: "请求有误",
    401: "需要令牌",
    403: "未开放",
    404: "找不到",
    409: "名称有歧义",
    413: "文件过大",
    415: "不支持的文件类型",
    422: "参数有误",
    501: "需要内嵌存储",
    503: "存储暂不可用",
}
NAV = Path(__file__).resolve().parent / "templates" / "nav.html"


def page_message(code: int, detail: str) -> str:
    """The Chinese sentence an error page shows: what went wrong, and the names it concerns.

    >>> page_message(404, "No unit named '县某局'")
    '找不到：县某局'
    >>> page_message(409, "'张伟' names 2 nodes: person:甲:张伟, person:乙:张伟")
    '名称有歧义：张伟（请从列表中选择具体的一项）'
    """
    names = re.findall(r"'([^']+)'", detail) or re.findall(r"\"([^\"]+)\"", detail)
    title = PAGE_TITLE.get(code, "出错了")
    if code == 409:
        return f"{title}：{'、'.join(names)}（请从列表中选择具体的一项）"
    return f"{title}：{'、'.join(names)}" if names else title


def _page(code: int, detail: str) -> HTMLResponse:
    text = html.escape(page_message(code, detail))
    nav = NAV.read_text(encoding="utf-8") if NAV.exists() else ""
    return HTMLResponse(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{code} · zhenkg</title>"
        '<link rel="stylesheet" href="/static/style.css">'
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head><body>'
        f"{nav}"
        f"<main><h1>{html.escape(PAGE_TITLE.get(code, '出错了'))}</h1>"
        f'<p class="error" data-code="{code}" title="{html.escape(detail)}">{text}</p>'
        '<p><a href="/">返回总览</a> · <a href="/pages/units">查看全部单位</a></p></main>'
        "</body></html>",
        status_code=code,
    )


def _body(
    request: Request, code: int, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    if _is_page(request):
        return _page(code, detail)
    return JSONResponse({"detail": detail}, status_code=code, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] in {"query", "path", "body", "header", "cookie"}:
        return f"{parts[0]} parameter {'.'.join(parts[1:])!r}"
    return ".".join(parts)


async def _zhenkg(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ZhenkgError)
    headers = exc.headers if isinstance(exc, ApiError) else None
    detail = str(exc) or type(exc).__doc__ or type(exc).__name__
    return _body(request, status_of(exc), detail, headers)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail = "; ".join(f"{_field(e['loc'])}: {e['msg']}" for e in exc.errors())
    return _body(request, status.HTTP_422_UNPROCESSABLE_CONTENT, detail or "invalid request")


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return _body(request, exc.status_code, str(exc.detail), exc.headers)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``, and document the one error body they all answer."""
    app.add_exception_handler(ZhenkgError, _zhenkg)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    _document_error_body(app)


def _document_error_body(app: FastAPI) -> None:
    """Every 422 in the schema is ``ErrorBody``, as the handlers send it (FastAPI's own
    schema says a list of validation errors, which no response of this app carries)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        if not schema.get("x-zhenkg-errors"):
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault(
                "ErrorBody",
                ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"),
            )
            body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    answer = operation.get("responses", {}).get("422")
                    if answer is not None:
                        answer["content"] = body
            schema["x-zhenkg-errors"] = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
