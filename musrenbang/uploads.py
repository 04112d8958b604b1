"""Checks of uploaded files by their content: type by magic bytes, size limits, safe names.

One module for every upload of the product (proposal attachments, the forum's guideline, the
forum's signed scans, photos and videos), so a rule about files is enforced in one place.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from musrenbang.exceptions import DomainError


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
    tail = b""
    for chunk in upload.chunks():
        digest.update(chunk)
        if file_type is PDF and (b"/JavaScript" in tail + chunk or b"/JS " in tail + chunk):
            raise DomainError(f"Berkas PDF '{name}' memuat JavaScript dan ditolak.")
        tail = chunk[-16:]
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
