"""Lampiran I of the Berita Acara, the T-D.4 table (Permendagri 86/2017), drawn with ReportLab.

Why not WeasyPrint like every other page: with 500 priorities the table fills about 50
landscape pages, and WeasyPrint spent 94% of the Berita Acara's time laying it out (CSS
cascade, table boxes, collapsed borders; benchmarks/README.md has the profile). ReportLab
draws the same table about five times faster because it only wraps text into fixed columns.
The rest of the Berita Acara stays HTML; ``compose`` joins the parts:

1. ``Annex(spec)`` lays the table out and keeps its pages unwritten (``page_count``);
2. WeasyPrint makes the HTML part, whose template leaves the page numbers (@bottom-right)
   empty and marks where Lampiran I goes (the block ``INSERT_BEFORE``, Lampiran II);
3. ``Annex.finish`` writes the annex's pages with their footers and numbers, the HTML pages get
   theirs laid over (``_numbers_overlay``), and pypdf puts the pages in order.

Look and words follow ``print.css`` and the former HTML table (tests/reports/ check the text
with pdftotext and the pages' size and number).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from musrenbang import formatting

# @page lampiran in print.css: A4 landscape, margins 1.4 1.5 1.8 1.5 cm.
PAGE = landscape(A4)
TOP, RIGHT, BOTTOM, LEFT = 1.4 * cm, 1.5 * cm, 1.8 * cm, 1.5 * cm
WIDTHS = (4, 10, 11, 25, 12, 11, 7, 9, 11)  # percent of the table's width, as the HTML colgroup
HEADERS = (
    "No",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Program dan Kegiatan Prioritas / Sub Kegiatan",
    "Sasaran Kegiatan",
    "Lokasi",
    "Volume",
    "Pagu",
    "Perangkat Daerah Penanggung Jawab",
)
SIZE = 8.5  # points: the cells' text (print.css)
LEADING = 11.2  # points from line to line in a cell
CODE_SIZE = 7  # points: nomenclature codes (print.css: table.td4 .nomen .code)
MIN_FIGURE_SIZE = 6  # points: the smallest a long number is made to stay on one line
PADDING = 3  # points left and right in a cell (print.css: 2px 4px)
GREY, LIGHT, FOOTER_GREY = colors.HexColor("#e6e6e6"), colors.HexColor("#f2f2f2"), "#444444"

FONT_FILES = {
    "Musrenbang-Sans": "LiberationSans-Regular.ttf",
    "Musrenbang-Sans-Bold": "LiberationSans-Bold.ttf",
    "Musrenbang-Sans-Italic": "LiberationSans-Italic.ttf",
    "Musrenbang-Sans-BoldItalic": "LiberationSans-BoldItalic.ttf",
    "Musrenbang-Mono": "LiberationMono-Regular.ttf",
}
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))


@dataclass(frozen=True)
class Fonts:
    sans: str
    bold: str
    italic: str
    mono: str


@cache
def fonts() -> Fonts:
    """Liberation Sans and Mono (the fonts WeasyPrint uses: Debian's fonts-liberation2), embedded.

    Without them (a server that lacks the package) ReportLab's built-in Helvetica and Courier,
    which PDF readers always have, so the document is still made.
    """
    found = {}
    for directory in FONT_DIRS:
        root = Path(directory)
        if not root.is_dir():
            continue
        for name, filename in FONT_FILES.items():
            if name not in found:
                match = next(root.rglob(filename), None)
                if match is not None:
                    found[name] = match
    if len(found) < len(FONT_FILES):
        return Fonts(
            sans="Helvetica", bold="Helvetica-Bold", italic="Helvetica-Oblique", mono="Courier"
        )
    for name, path in found.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    family = "Musrenbang-Sans"
    addMapping(family, 0, 0, family)
    addMapping(family, 1, 0, f"{family}-Bold")
    addMapping(family, 0, 1, f"{family}-Italic")
    addMapping(family, 1, 1, f"{family}-BoldItalic")
    return Fonts(
        sans=family, bold=f"{family}-Bold", italic=f"{family}-Italic", mono="Musrenbang-Mono"
    )


@cache
def _styles() -> dict[str, ParagraphStyle]:
    face = fonts()
    cell = ParagraphStyle("cell", fontName=face.sans, fontSize=SIZE, leading=LEADING)
    return {
        "cell": cell,
        "head": ParagraphStyle("head", cell, fontName=face.bold, alignment=TA_CENTER),
        "strong_right": ParagraphStyle(
            "strong_right", cell, fontName=face.bold, alignment=TA_RIGHT
        ),
        "strong": ParagraphStyle("strong", cell, fontName=face.bold),
        "title": ParagraphStyle(
            "title", cell, fontName=face.bold, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", cell, fontName=face.bold, fontSize=10.5, leading=13, alignment=TA_CENTER
        ),
        "small": ParagraphStyle("small", cell, spaceBefore=2),
    }


class _Cell(Paragraph):
    """A paragraph wrapped once per width: a table asks each cell up to three times."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        if getattr(self, "_wrapped_for", None) != availWidth:
            super().wrap(availWidth, availHeight)
            self._wrapped_for = availWidth
        return self.width, self.height


@dataclass(frozen=True)
class Piece:
    """Text of one font in a cell; ``code`` (a nomenclature code) goes before it, in mono."""

    text: str
    font: str
    color: str = "#000000"
    code: str = ""


class _Lines(Flowable):
    """Pieces of text wrapped word by word into the cell's width and drawn as strings.

    What a Paragraph does for these cells at a fraction of its cost (no markup to parse: text
    is drawn as written); a word longer than the line is cut where it must be.
    """

    def __init__(self, pieces: list[Piece]):
        super().__init__()
        self.pieces = pieces
        self._wrapped_for = None
        self._lines: list[tuple[Piece, str, str]] = []

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        if self._wrapped_for != availWidth:
            self._lines = [line for piece in self.pieces for line in _break(piece, availWidth)]
            self._wrapped_for = availWidth
            self.width, self.height = availWidth, len(self._lines) * LEADING
        return self.width, self.height

    def draw(self):
        canvas, mono = self.canv, fonts().mono
        baseline = self.height - SIZE * 0.9
        for piece, code, text in self._lines:
            canvas.setFillColor(colors.HexColor(piece.color))
            x = 0.0
            if code:
                canvas.setFont(mono, CODE_SIZE)
                canvas.drawString(0, baseline, code)
                x = stringWidth(code + " ", mono, CODE_SIZE)
            canvas.setFont(piece.font, SIZE)
            canvas.drawString(x, baseline, text)
            baseline -= LEADING


def _break(piece: Piece, width: float):
    """Yield (piece, code, text) for each line of ``piece`` in ``width`` points."""
    font = piece.font
    space = stringWidth(" ", font, SIZE)
    code = piece.code
    room = width - (stringWidth(code + " ", fonts().mono, CODE_SIZE) if code else 0)
    words: list[str] = []
    used = 0.0
    for word in piece.text.split():
        size = stringWidth(word, font, SIZE)
        if code and not words and size > room:  # the code alone on its line, as WeasyPrint does
            yield piece, code, ""
            code, room = "", width
        while size > room and not words:  # longer than a line: cut it
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, SIZE) > room:
                cut -= 1
            yield piece, code, word[:cut]
            code, room = "", width
            word = word[cut:]
            size = stringWidth(word, font, SIZE)
        if words and used + space + size > room:
            yield piece, code, " ".join(words)
            code, room = "", width
            words, used = [], 0.0
            if size > room:
                yield from _break(Piece(word, font, piece.color), width)
                continue
        used += (space if words else 0) + size
        words.append(word)
    if words or code:
        yield piece, code, " ".join(words)


class _Column:
    """Cells of one column: a plain string where the text fits on one line (drawn as it is),
    else lines wrapped into the column."""

    def __init__(self, width: float):
        self.room = width - 2 * PADDING

    def cell(self, value, empty: str = "-"):
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        if not text:
            return empty
        if stringWidth(text, fonts().sans, SIZE) <= self.room:
            return text
        return _Lines([Piece(text, fonts().sans)])


def _program(row) -> _Lines:
    """Column 4: program, kegiatan and sub kegiatan each with its code, then the proposal."""
    face = fonts()
    pieces = []
    if row.sub_activity:
        for level in (row.program, row.activity, row.sub_activity):
            if level:
                pieces.append(Piece(level.name, face.sans, code=level.code))
    else:
        pieces.append(Piece("Sub kegiatan belum ditetapkan", face.sans, color="#555555"))
    pieces.append(Piece(f"Usulan: {row.proposal.title}", face.italic))
    return _Lines(pieces)


def _location(proposal) -> str:
    place = proposal.village.name if proposal.village_id else "Kecamatan"
    return f"{place}, {proposal.location}" if proposal.location else place


@dataclass(frozen=True)
class Heading:
    """What stands above the table: the annex head, the title and the ceiling line."""

    subdistrict: str
    regency: str
    year: int
    number: str
    date: str
    ceiling_line: str = ""


@dataclass(frozen=True)
class AnnexSpec:
    """What Lampiran I shows; laid out by ``compose`` (plain data: no database reads left)."""

    groups: list
    count: int
    total: int
    heading: Heading
    footer: str
    draft: bool


class _HeldCanvas(pdfcanvas.Canvas):
    """A canvas that keeps its pages until the page numbers are known (``Annex.finish``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self.held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        """``build`` ends here; the pages are written by ``Annex.finish``."""


class Annex:
    """Lampiran I laid out: ``page_count`` pages, written by ``finish`` once numbered."""

    def __init__(self, spec: AnnexSpec):
        self.spec = spec
        self._buffer = io.BytesIO()
        canvases: list[_HeldCanvas] = []

        def make_canvas(*args, **kwargs):
            canvases.append(_HeldCanvas(*args, **kwargs))
            return canvases[-1]

        doc = SimpleDocTemplate(
            self._buffer,
            pagesize=PAGE,
            topMargin=TOP,
            rightMargin=RIGHT,
            bottomMargin=BOTTOM,
            leftMargin=LEFT,
            title=f"Lampiran I Berita Acara Musrenbang Kecamatan {spec.heading.subdistrict}",
            pageCompression=1,
            initialFontName=fonts().sans,  # else each page names Helvetica, not embedded
        )
        story = self._story(spec.groups, spec.count, spec.total, spec.heading, doc.width)
        doc.build(story, canvasmaker=make_canvas)
        self._canvas = canvases[-1]
        self.page_count = len(self._canvas.held_pages)

    def _story(self, groups, count, total, heading: Heading, width: float) -> list:
        styles = _styles()
        head_style = ParagraphStyle("annex_head", styles["cell"], fontSize=8.5, leading=11)
        head = Table(
            [
                [Paragraph(text, head_style) for text in row]
                for row in (
                    (
                        "Lampiran I",
                        ":",
                        f"Berita Acara Musrenbang Kecamatan {escape(heading.subdistrict)}",
                    ),
                    ("Nomor", ":", escape(heading.number) or "...................."),
                    ("Tanggal", ":", escape(heading.date)),
                )
            ],
            colWidths=[1.5 * cm, 0.35 * cm, width * 0.42 - 1.85 * cm],
            hAlign="RIGHT",
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), fonts().sans, 8.5),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        title = f"Daftar Skala Prioritas (DSP) Kegiatan Kecamatan {heading.subdistrict}"
        story = [
            head,
            Spacer(1, 8),
            Paragraph(escape(title.upper()), styles["title"]),
            Paragraph(
                escape(f"RKPD {heading.regency} Tahun {heading.year}".upper()), styles["subtitle"]
            ),
            Spacer(1, 6),
            self._table(groups, count, total, width),
        ]
        if heading.ceiling_line:
            story.append(Paragraph(escape(heading.ceiling_line), styles["small"]))
        return story

    def _table(self, groups, count, total, width: float) -> LongTable:
        styles = _styles()
        face = fonts()
        data = [
            [_Cell(text, styles["head"]) for text in HEADERS],
            [str(number) for number in range(1, 10)],
        ]
        commands = [
            ("FONT", (0, 0), (-1, -1), face.sans, SIZE),
            ("FONT", (0, 1), (-1, 1), face.sans, 6.5),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (0, 1), (-1, 1), "CENTER"),
            ("ALIGN", (6, 2), (7, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 1), GREY),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 1), (-1, 1), 0),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 1),
        ]

        column_widths = [width * share / 100 for share in WIDTHS]
        columns = [_Column(w) for w in column_widths]

        def full_row(text: str, style: str, background=None) -> None:
            index = len(data)
            data.append([_Cell(text, styles[style])] + [""] * 8)
            commands.append(("SPAN", (0, index), (-1, index)))
            if background is not None:
                commands.append(("BACKGROUND", (0, index), (-1, index), background))

        def figure(row: int, column: int, text: str, *, bold: bool = False) -> str:
            """A number on one line (print.css's ``nowrap``), smaller where it would not fit."""
            font = face.bold if bold else face.sans
            room = column_widths[column] - 2 * PADDING
            size = min(SIZE, max(MIN_FIGURE_SIZE, SIZE * room / stringWidth(text, font, SIZE)))
            if bold or size < SIZE:
                commands.append(("FONT", (column, row), (column, row), font, size))
            return text

        def sum_row(label: str, amount, background=None) -> None:
            index = len(data)
            data.append(
                [_Cell(label, styles["strong_right"])]
                + [""] * 6
                + [figure(index, 7, formatting.rupiah(amount), bold=True), ""]
            )
            commands.append(("SPAN", (0, index), (6, index)))
            if background is not None:
                commands.append(("BACKGROUND", (0, index), (-1, index), background))

        for group in groups:
            label = escape(f"{group.sector} · {group.agency}")
            full_row(f"Bidang {label}", "strong", LIGHT)
            for number, row in enumerate(group.rows, 1):
                proposal = row.proposal
                rank = row.result.rank if row.result and row.result.rank else number
                volume = f"{formatting.number(proposal.effective_volume)} {proposal.unit}"
                sub = row.sub_activity
                data.append(
                    [
                        str(rank),
                        columns[1].cell(proposal.development_priority),
                        columns[2].cell(row.regional_target),
                        _program(row),
                        columns[4].cell(sub.performance if sub else ""),
                        columns[5].cell(_location(proposal)),
                        figure(len(data), 6, volume.strip()),
                        figure(len(data), 7, formatting.rupiah(proposal.effective_cost)),
                        columns[8].cell(row.agency.name if row.agency else ""),
                    ]
                )
            sum_row(f"Jumlah {label}", group.total)
        if not groups:
            full_row("Tidak ada usulan prioritas.", "head")
        sum_row(f"JUMLAH SELURUHNYA ({count} usulan)", total, GREY)
        return LongTable(data, colWidths=column_widths, repeatRows=2, style=TableStyle(commands))

    def finish(self, *, first_page: int, total_pages: int) -> bytes:
        """Write the pages numbered ``first_page``.. of ``total_pages``; return the PDF."""
        canvas = self._canvas
        face = fonts()
        width, _height = PAGE
        for number, state in enumerate(canvas.held_pages, first_page):
            canvas.__dict__.update(state)
            canvas.saveState()
            canvas.setFillColor(colors.HexColor(FOOTER_GREY))
            canvas.setFont(face.sans, 7.5)
            canvas.drawString(LEFT, BOTTOM / 2 - 3, self.spec.footer)
            _draw_number(canvas, width, (BOTTOM, RIGHT), number, total_pages)
            if self.spec.draft:
                self._watermark(canvas)
            canvas.restoreState()
            pdfcanvas.Canvas.showPage(canvas)
        pdfcanvas.Canvas.save(canvas)
        return self._buffer.getvalue()

    @staticmethod
    def _watermark(canvas) -> None:
        """ "DRAF" across the page as print.css's .watermark: red at 13%, turned 30 degrees."""
        width, height = PAGE
        canvas.setFillColor(colors.Color(200 / 255, 0, 0, alpha=0.13))
        canvas.setFont(fonts().bold, 110)
        canvas.translate(width / 2, height * 0.55)
        canvas.rotate(30)
        canvas.drawCentredString(0, -40, "DRAF")


# --- Joining Lampiran I to the Berita Acara ---

# The id of the block Lampiran I goes before (Lampiran II in berita_acara.html).
INSERT_BEFORE = "lampiran-ii"
# print.css's @page (A4 portrait) and @page lampiran (landscape): bottom and right margins, where
# the HTML part's page numbers are drawn (the template leaves @bottom-right empty).
HTML_MARGINS = {"portrait": (2 * cm, 1.6 * cm), "landscape": (BOTTOM, RIGHT)}


def _draw_number(canvas, width: float, margins: tuple[float, float], number: int, total: int):
    """ "Halaman x dari y" as print.css's @bottom-right: 8pt, #444, in the middle of the margin."""
    bottom, right = margins
    canvas.setFillColor(colors.HexColor(FOOTER_GREY))
    canvas.setFont(fonts().sans, 8)
    canvas.drawRightString(width - right, bottom / 2 - 3, f"Halaman {number} dari {total}")


def _numbers_overlay(sizes: list[tuple[float, float]], numbers: list[int], total: int) -> bytes:
    """One page per size with only its page number: laid over the HTML part's pages."""
    buffer = io.BytesIO()
    canvas = pdfcanvas.Canvas(buffer, pageCompression=1, initialFontName=fonts().sans)
    for (width, height), number in zip(sizes, numbers, strict=True):
        canvas.setPageSize((width, height))
        margins = HTML_MARGINS["landscape" if width > height else "portrait"]
        _draw_number(canvas, width, margins, number, total)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def compose(spec: AnnexSpec, html_part: Callable[[], tuple[bytes, int]]) -> bytes:
    """The Berita Acara: its HTML part (``html_part`` returns WeasyPrint's PDF and the index of the
    page Lampiran I goes before) and Lampiran I, joined and numbered "Halaman x dari y".

    The HTML part is made without page numbers (its template leaves @bottom-right empty): they
    are laid over its pages here, once the annex's length is known.
    """
    annex = Annex(spec)
    html_pdf, insert_at = html_part()
    html_reader = PdfReader(io.BytesIO(html_pdf))
    html_pages = list(html_reader.pages)
    total = len(html_pages) + annex.page_count
    annex_pages = PdfReader(
        io.BytesIO(annex.finish(first_page=insert_at + 1, total_pages=total))
    ).pages
    numbers = [n if n <= insert_at else n + annex.page_count for n in range(1, len(html_pages) + 1)]
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in html_pages]
    overlay = PdfReader(io.BytesIO(_numbers_overlay(sizes, numbers, total))).pages
    writer = PdfWriter()
    for index, page in enumerate(html_pages):
        if index == insert_at:
            for annex_page in annex_pages:
                writer.add_page(annex_page)
        added = writer.add_page(page)
        added.merge_page(overlay[index])
        added.compress_content_streams()
    if insert_at >= len(html_pages):
        for annex_page in annex_pages:
            writer.add_page(annex_page)
    writer.add_metadata(dict(html_reader.metadata or {}))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
