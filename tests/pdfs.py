"""Hand-built PDFs for upload tests: a plain valid one and the active-content variants.

``build(objects)`` writes a PDF 1.5 file with a correct cross-reference table from a list of
object bodies (object 1 is the catalog). ``with_object_stream`` puts objects into a compressed
object stream, referenced from a cross-reference stream, as modern writers do.
"""

import zlib

PAGE_TREE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def build(objects: list[bytes]) -> bytes:
    """Return a PDF whose object n+1 is ``objects[n]``, with a valid xref table."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def plain() -> bytes:
    """A one-page PDF without any action."""
    return build(PAGE_TREE)


def with_catalog(extra: bytes) -> bytes:
    """A one-page PDF whose catalog carries ``extra`` (e.g. ``/OpenAction 4 0 R``)."""
    return build([PAGE_TREE[0][:-2] + b" " + extra + b" >>", *PAGE_TREE[1:]])


def with_object_stream(hidden: list[bytes]) -> bytes:
    """A PDF whose objects 4.. live compressed in an object stream (xref stream, no table).

    The catalog points to object 4 (``/Names 4 0 R``): nothing active is visible outside it.
    """
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names 4 0 R >>"
    plain_objects = [catalog, *PAGE_TREE[1:]]
    first = len(plain_objects) + 1
    header, body = b"", b""
    for index, obj in enumerate(hidden):
        header += b"%d %d " % (first + index, len(body))
        body += obj + b" "
    data = zlib.compress(header + body)
    stream_number = first + len(hidden)
    xref_number = stream_number + 1
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, obj in enumerate(plain_objects, start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(hidden),
        len(header),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(out)
    rows = [b"\x00\x00\x00\x00\xff\xff"]  # object 0: free
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00")
        else:  # inside the object stream: type 2, stream number, index
            rows.append(b"\x02" + stream_number.to_bytes(4, "big") + bytes([number - first]))
    xref_data = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(xref_data),
    )
    out += xref_data + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)
