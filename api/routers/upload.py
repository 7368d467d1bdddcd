"""Reading an uploaded document from a multipart request, within the size limit.

The body is parsed as it streams in: the file's name and content type are checked as soon as
its part headers arrive (415), and the byte count is checked on every chunk (413), so an
oversized or unsupported upload is refused without being read to the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from api.deps import SettingsDep, TokenDep
from api.errors import InvalidParameter, UnsupportedUpload, UploadTooLarge

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FIELD = "file"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = frozenset({"text/html", "application/xhtml+xml"})
ACCEPTED: dict[str, frozenset[str]] = {
    ".txt": frozenset({"text/plain"}),
    ".docx": frozenset({DOCX}),
    ".pdf": frozenset({"application/pdf", "application/x-pdf"}),
    ".html": HTML,
    ".htm": HTML,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Enterprise registers (企业名录): CSV as browsers label it, or an Excel workbook.
REGISTERS: dict[str, frozenset[str]] = {
    ".csv": frozenset({"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"}),
    ".xlsx": frozenset({XLSX}),
}
# What clients send when they do not know the type: the extension decides.
GENERIC = frozenset({"", "application/octet-stream", "binary/octet-stream"})
ENVELOPE = 64 * 1024  # multipart boundaries and part headers on top of the file itself


def multipart_body(description: str) -> dict[str, Any]:
    """The OpenAPI request body of an upload route: one file in the form field :data:`FIELD`."""
    file = {"type": "string", "format": "binary", "description": description}
    schema = {"type": "object", "required": [FIELD], "properties": {FIELD: file}}
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


OPENAPI_BODY = multipart_body("the plan: .txt .docx .pdf .html .htm")


@dataclass
class Upload:
    """The uploaded file: name, declared content type and bytes."""

    name: str
    content_type: str
    data: bytes


def check_type(
    name: str, content_type: str, accepted: dict[str, frozenset[str]] | None = None
) -> None:
    """Refuse a file zhenkg cannot read, by extension and by declared content type.

    >>> check_type("plan.PDF", "application/pdf"); check_type("plan.txt", "")
    >>> check_type("plan.exe", "")
    Traceback (most recent call last):
    api.errors.UnsupportedUpload: 'plan.exe': zhenkg reads .txt .docx .pdf .html .htm files
    """
    accepted = ACCEPTED if accepted is None else accepted
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix not in accepted:
        raise UnsupportedUpload(f"{name!r}: zhenkg reads {' '.join(accepted)} files")
    if content_type not in GENERIC and content_type not in accepted[suffix]:
        raise UnsupportedUpload(
            f"{name!r} is sent as {content_type!r}, which is not a {suffix} document "
            f"(expected {' or '.join(sorted(accepted[suffix]))})"
        )


@dataclass
class _Parts:
    """Callbacks collecting the ``file`` part and enforcing the limit."""

    limit: int
    accepted: dict[str, frozenset[str]] = field(default_factory=lambda: ACCEPTED)
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: bytes = b""
    value: bytes = b""
    upload: Upload | None = None
    reading: bool = False  # inside the (first) file part
    data: bytearray = field(default_factory=bytearray)

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._add("name", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("value", d[s:e]),
            "on_header_end": self._header,
            "on_headers_finished": self._headers,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self.headers = {}

    def _add(self, which: str, chunk: bytes) -> None:
        setattr(self, which, getattr(self, which) + chunk)

    def _header(self) -> None:
        self.headers[self.name.lower()] = self.value
        self.name = self.value = b""

    def _headers(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        if options.get(b"name") != FIELD.encode() or self.upload is not None:
            return
        filename = options.get(b"filename", b"").decode("utf-8", "replace")
        if not filename:
            raise InvalidParameter(
                f"body parameter {FIELD!r}: a file (with a file name) is required"
            )
        ctype, _ = parse_options_header(self.headers.get(b"content-type", b""))
        content_type = ctype.decode("latin-1")
        check_type(filename, content_type, self.accepted)
        self.upload = Upload(
            name=PurePosixPath(filename.replace("\\", "/")).name,
            content_type=content_type,
            data=b"",
        )
        self.reading = True

    def _end(self) -> None:
        self.reading = False

    def _data(self, chunk: bytes, start: int, end: int) -> None:
        if not self.reading:
            return
        self.data += chunk[start:end]
        if len(self.data) > self.limit:
            raise UploadTooLarge(f"Upload larger than the server's limit of {self.limit} bytes")


async def read_upload(request: Request, settings: SettingsDep, _token: TokenDep) -> Upload:
    """The ``file`` field of a ``multipart/form-data`` request (after the token check): a plan.

    Raises: as :func:`read_file`.
    """
    return await read_file(request, settings.max_upload, ACCEPTED)


async def read_register_upload(request: Request, settings: SettingsDep, _token: TokenDep) -> Upload:
    """The ``file`` field of a ``multipart/form-data`` request: an enterprise register."""
    return await read_file(request, settings.max_upload, REGISTERS)


async def read_file(request: Request, limit: int, accepted: dict[str, frozenset[str]]) -> Upload:
    """The ``file`` field of a ``multipart/form-data`` request, of a type in ``accepted``.

    Raises:
        UploadTooLarge: the declared length or the bytes received pass the limit (413).
        UnsupportedUpload: not multipart, or a file type zhenkg does not read (415).
        InvalidParameter: no ``file`` field, or broken multipart, a missing closing boundary
            included (422).
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + ENVELOPE:
        raise UploadTooLarge(
            f"Upload of {int(declared)} bytes is larger than the server's limit of {limit} bytes"
        )
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data":
        raise UnsupportedUpload(
            f"Send the document as multipart/form-data in the field {FIELD!r}, "
            f"not as {ctype.decode('latin-1') or 'a body without content type'}"
        )
    if b"boundary" not in params:
        raise InvalidParameter("multipart/form-data without a boundary")
    parts = _Parts(limit, accepted)
    received = 0
    try:
        parser = MultipartParser(params[b"boundary"], parts.callbacks())
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + ENVELOPE:
                raise UploadTooLarge(f"Upload larger than the server's limit of {limit} bytes")
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise InvalidParameter(f"Broken multipart body: {exc}") from exc
    # A body cut short (no closing boundary) may hold a truncated file: store nothing from it.
    if parser.state != MultipartState.END:
        raise InvalidParameter(
            "Broken multipart body: it ends before the closing boundary (--boundary--)"
        )
    if parts.upload is None:
        raise InvalidParameter(f"body parameter {FIELD!r}: Field required (the document to ingest)")
    parts.upload.data = bytes(parts.data)
    return parts.upload


UploadDep = Annotated[Upload, Depends(read_upload)]
RegisterUploadDep = Annotated[Upload, Depends(read_register_upload)]
