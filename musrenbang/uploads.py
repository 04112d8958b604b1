"""Checks of uploaded files by their content: type by magic bytes, size limits, safe names.

One module for every upload of the product (proposal attachments, the forum's guideline, the
forum's signed scans, photos and videos), so a rule about files is enforced in one place.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from musrenbang.exceptions import DomainError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: tuple[str, ...]
    limit_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)


PDF = FileType("application/pdf", "PDF", (".pdf",), "UPLOAD_MAX_DOCUMENT_BYTES")
JPEG = FileType("image/jpeg", "JPEG", (".jpg", ".jpeg"), "UPLOAD_MAX_IMAGE_BYTES")
PNG = FileType("image/png", "PNG", (".png",), "UPLOAD_MAX_IMAGE_BYTES")
MP4 = FileType("video/mp4", "MP4", (".mp4",), "UPLOAD_MAX_VIDEO_BYTES")
# Word/ODF documents are zip containers (OOXML, ODF); legacy .doc is an OLE compound file.
OFFICE = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word/ODF",
    (".docx", ".odt"),
    "UPLOAD_MAX_DOCUMENT_BYTES",
)
LEGACY_DOC = FileType("application/msword", "Word 97-2003", (".doc",), "UPLOAD_MAX_DOCUMENT_BYTES")


def sniff(head: bytes) -> FileType | None:
    """Return the type the first bytes of a file announce, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"PK\x03\x04"):
        return OFFICE
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return LEGACY_DOC
    return None


def check_name(name: str) -> str:
    """Return the client's file name if it is a plain name; refuse paths and hidden names."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Nama berkas kosong.")
    if "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise DomainError("Nama berkas tidak boleh memuat folder atau '..'. Ganti nama berkasnya.")
    if any(not ch.isprintable() for ch in name):
        raise DomainError("Nama berkas memuat karakter yang tidak diizinkan.")
    return name[:255]


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def inspect(upload, allowed: tuple[FileType, ...]) -> tuple[FileType, str, str]:
    """Check an uploaded file; return its type, the checked original name and its SHA-256.

    Refuses (``DomainError``) a name with a path, content that is none of ``allowed`` (a
    script renamed ``.pdf`` fails here), an extension that disagrees with the content, a
    file over the limit of its type, and a PDF carrying JavaScript.
    """
    name = check_name(getattr(upload, "name", ""))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    file_type = sniff(head)
    allowed_labels = ", ".join(t.label for t in allowed)
    if file_type is None or file_type not in allowed:
        raise DomainError(
            f"Isi berkas '{name}' bukan jenis yang diizinkan untuk unggahan ini ({allowed_labels})."
        )
    if PurePosixPath(name).suffix.lower() not in file_type.extensions:
        raise DomainError(
            f"Ekstensi berkas '{name}' tidak sesuai dengan isinya ({file_type.label})."
        )
    size = upload.size
    if size > file_type.limit:
        raise DomainError(
            f"Berkas '{name}' terlalu besar ({_human(size)}); batas {file_type.label} "
            f"adalah {_human(file_type.limit)}."
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if file_type is PDF:
        check_pdf(upload, name)
        upload.seek(0)
    return file_type, name, digest.hexdigest()


def read_spreadsheet(upload) -> bytes:
    """Check an uploaded Excel workbook (.xlsx: a zip container, size limit of documents) and
    return its bytes; the importer's reader then refuses what is not a workbook."""
    name = check_name(getattr(upload, "name", ""))
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if PurePosixPath(name).suffix.lower() != ".xlsx" or head != b"PK\x03\x04":
        raise DomainError(f"Berkas '{name}' bukan lembar kerja Excel (.xlsx).")
    if upload.size > settings.UPLOAD_MAX_DOCUMENT_BYTES:
        raise DomainError(
            f"Berkas '{name}' terlalu besar ({_human(upload.size)}); batas "
            f"{_human(settings.UPLOAD_MAX_DOCUMENT_BYTES)}."
        )
    return upload.read()


# Names that make a PDF act (run script, launch a program, open on an action) or carry other
# files or active media. Refused wherever they appear, as a key or as a value.
ACTIVE_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
    }
)
# A PDF name in the raw bytes: '/' then regular characters, '#xx' escapes included.
_RAW_NAME = re.compile(rb"/(?:[^\s/<>\[\]{}()%]|#[0-9A-Fa-f]{2})+")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _raw_names(data: bytes) -> set[str]:
    """The names written in the file outside its streams, '#xx' escapes decoded.

    Finds objects that no cross-reference points to; stream contents (images, compressed
    data) are skipped, where random bytes could look like a name.
    """
    names = set()
    for match in _RAW_NAME.finditer(_STREAM.sub(b"", data)):
        raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())
        names.add(raw.decode("latin-1"))
    return names


def _parsed_names(data) -> set[str]:
    """Every name used as a key or value in every object, object streams included (pypdf)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(data, strict=False)
    stack = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack += [reader.get_object(IndirectObject(n, generation, reader)) for n in numbers if n]
    stack += [reader.get_object(IndirectObject(n, 0, reader)) for n in reader.xref_objStm]
    names = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, DictionaryObject):  # streams included
            names.update(str(key) for key in obj)
            stack.extend(v for v in dict.values(obj) if not isinstance(v, IndirectObject))
        elif isinstance(obj, ArrayObject):
            stack.extend(v for v in list.__iter__(obj) if not isinstance(v, IndirectObject))
        elif isinstance(obj, NameObject):
            names.add(str(obj))
    return names


def check_pdf(upload, name: str) -> None:
    """Refuse a PDF that cannot be parsed or carries active content (``ACTIVE_NAMES``).

    Two reads: the raw bytes (escaped names, objects no cross-reference points to) and pypdf's
    parse of every object, compressed object streams included, so hex names and script hidden
    in a compressed stream are found too.
    """
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    found = _raw_names(data) & ACTIVE_NAMES
    if not found:
        import io

        try:
            found = _parsed_names(io.BytesIO(data)) & ACTIVE_NAMES
        except Exception as error:  # noqa: BLE001  (any parser failure means: unreadable)
            logger.info("PDF %r refused, unreadable: %s", name, error)
            raise DomainError(
                f"Berkas PDF '{name}' tidak dapat dibaca sebagai PDF yang sah dan ditolak."
            ) from error
    if found:
        raise DomainError(
            f"Berkas PDF '{name}' memuat JavaScript atau konten aktif ({', '.join(sorted(found))}) "
            "dan ditolak."
        )
