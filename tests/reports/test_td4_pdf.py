"""Lampiran I of the Berita Acara (T-D.4), drawn by ReportLab and joined into WeasyPrint's pages
(reports.td4_pdf): numbered with the rest, landscape, words as written, and looked at."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from proposals.models import Proposal
from reports import documents, services, td4_pdf
from tests.reports.factories import sent_forum

pytestmark = pytest.mark.django_db

TD4_HEADER = "Program dan Kegiatan Prioritas / Sub Kegiatan"


@pytest.fixture
def long_forum(subdistrict, village, other_village, year, camat):
    """Thirty priorities: Lampiran I takes several pages."""
    return sent_forum(subdistrict, villages=[village, other_village], priority=30, reserve=2)


def page_texts(content: bytes) -> list[str]:
    """The text of each page (``pdftotext`` separates pages by a form feed)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    pages = result.stdout.decode().split("\f")
    return [" ".join(page.split()) for page in pages[: len(PdfReader(io.BytesIO(content)).pages)]]


def annex_pages(texts: list[str]) -> list[int]:
    return [index for index, text in enumerate(texts) if TD4_HEADER in text]


def test_every_page_is_numbered_once_and_in_order(long_forum):
    content = documents.render("berita-acara", long_forum.forum).content
    texts = page_texts(content)
    total = len(texts)
    for number, text in enumerate(texts, 1):
        assert re.findall(r"Halaman (\d+) dari (\d+)", text) == [(str(number), str(total))], text


def test_the_annex_stands_between_the_minutes_and_lampiran_ii_on_landscape_pages(long_forum):
    content = documents.render("berita-acara", long_forum.forum).content
    texts = page_texts(content)
    annex = annex_pages(texts)
    assert len(annex) >= 2
    assert annex == list(range(annex[0], annex[-1] + 1))  # one run of pages
    assert "Lampiran I : Berita Acara Musrenbang Kecamatan" in texts[annex[0]]
    assert "Demikian Berita Acara ini dibuat" in " ".join(texts[: annex[0]])
    assert "Lampiran II : Berita Acara" in texts[annex[-1] + 1]
    assert "Lampiran II : Berita Acara" not in " ".join(texts[: annex[-1] + 1])
    pages = PdfReader(io.BytesIO(content)).pages
    for index in annex:
        box = pages[index].mediabox
        assert float(box.width) > float(box.height), index
    assert float(pages[0].mediabox.width) < float(pages[0].mediabox.height)
    footer = f"Berita Acara Musrenbang Kecamatan · Kecamatan {long_forum.forum.subdistrict.name}"
    for index in annex:
        assert footer in texts[index]


def test_rows_keep_their_rank_order_and_every_priority_once(long_forum):
    content = documents.render("berita-acara", long_forum.forum).content
    texts = page_texts(content)
    annex_text = " ".join(texts[i] for i in annex_pages(texts))
    titles = [result.item.proposal.title for result in long_forum.priority]  # in rank order
    assert [annex_text.count(f"Usulan: {title}") for title in titles] == [1] * 30
    places = [annex_text.index(f"Usulan: {title}") for title in titles]
    assert places == sorted(places)
    assert "JUMLAH SELURUHNYA (30 usulan) Rp 4.650.000.000" in annex_text


def test_markup_characters_and_long_amounts_print_as_written(sent, pdf_text):
    first = sent.priority[0].item.proposal
    # Queryset updates: a sent forum's proposals are locked against save() (sessions.locks).
    Proposal.objects.filter(pk=first.pk).update(
        title='Jalan "Poros" <b>Desa</b> & Saluran <br/> </para>',
        location="RT 01 & RW <02>",
        cost=1_250_000_000_000,
        agreed_cost=None,
    )
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert 'Usulan: Jalan "Poros" <b>Desa</b> & Saluran <br/> </para>' in text
    assert "RT 01 & RW <02>" in text
    assert "Rp 1.250.000.000.000" in text  # one line, made smaller where it needs to be


def test_a_forum_without_priorities_says_so(subdistrict, village, year, camat, pdf_text):
    empty = sent_forum(subdistrict, villages=[village], priority=0, reserve=2)
    text = pdf_text(documents.render("berita-acara", empty.forum).content)
    assert "Tidak ada usulan prioritas." in text
    assert "JUMLAH SELURUHNYA (0 usulan)" in text


def fonts_used(page) -> dict[str, object]:
    """The fonts a page's text is set in (its ``Tf`` operators), by resource name."""
    content = page.get_contents().get_data().decode("latin-1")
    names = set(re.findall(r"/(\S+)\s+[\d.]+\s+Tf", content))
    fonts = page["/Resources"]["/Font"]
    return {name: fonts["/" + name].get_object() for name in names}


def embedded(font) -> bool:
    if "/DescendantFonts" in font:  # a CID font (WeasyPrint)
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"].get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_font_the_text_is_set_in_is_embedded(long_forum):
    content = documents.render("berita-acara", long_forum.forum).content
    texts = page_texts(content)
    pages = PdfReader(io.BytesIO(content)).pages
    for index, page in enumerate(pages):
        used = fonts_used(page)
        assert used, index
        for font in used.values():
            assert embedded(font), (index, font["/BaseFont"])
    annex_fonts = {str(f["/BaseFont"]) for f in fonts_used(pages[annex_pages(texts)[0]]).values()}
    assert "/AAAAAA+LiberationSans" in annex_fonts


@pytest.fixture
def without_font_files(monkeypatch):
    monkeypatch.setattr(td4_pdf, "FONT_DIRS", ())
    td4_pdf.fonts.cache_clear()
    td4_pdf._styles.cache_clear()
    yield
    td4_pdf.fonts.cache_clear()
    td4_pdf._styles.cache_clear()


def test_without_the_font_files_the_annex_falls_back_to_the_builtin_fonts(
    sent, without_font_files, pdf_text
):
    assert td4_pdf.fonts().sans == "Helvetica"
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert "JUMLAH SELURUHNYA (3 usulan) Rp 60.000.000" in text


def page_image(content: bytes, number: int, folder: Path) -> Image.Image:
    """Page ``number`` (from 1) at 50 dpi (``pdftoppm``)."""
    pdf = folder / "doc.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", str(number), "-l", str(number), "-singlefile",
         str(pdf), str(folder / "page")],
        check=True,
    )  # fmt: skip
    return Image.open(folder / "page.png").convert("RGB")


def reddish(image: Image.Image) -> int:
    return sum(1 for r, g, b in image.get_flattened_data() if r > g + 25 and r > b + 25)


def test_the_annex_page_looks_like_a_table(long_forum, tmp_path):
    """Rendered to an image: landscape, the grey header band, black grid lines, text."""
    content = documents.render("berita-acara", long_forum.forum).content
    middle = annex_pages(page_texts(content))[1] + 1  # a page in the middle of the table
    image = page_image(content, middle, tmp_path).convert("L")
    width, height = image.size
    assert width > height
    top = [image.getpixel((x, y)) for y in range(int(height * 0.06), int(height * 0.12))
           for x in range(int(width * 0.1), int(width * 0.9))]  # fmt: skip
    assert sum(220 <= value <= 240 for value in top) > len(top) * 0.3  # #e6e6e6 behind the head
    column = [image.getpixel((int(width * 0.5), y)) for y in range(height)]
    assert sum(value < 100 for value in column) >= 8  # rows' lines crossing the middle


def test_a_draft_annex_carries_the_watermark_and_the_final_one_does_not(
    long_forum, camat, tmp_path
):
    draft = documents.render("berita-acara", long_forum.forum).content
    number = annex_pages(page_texts(draft))[0] + 1
    assert reddish(page_image(draft, number, tmp_path)) > 500  # "DRAF", red at 13%
    archived = services.minutes_finalize(
        forum=long_forum.forum, actor=camat, participant_count=42, number="050/BA/2026"
    )
    with archived.file.open("rb") as handle:
        final = handle.read()
    texts = page_texts(final)
    number = annex_pages(texts)[0] + 1
    assert reddish(page_image(final, number, tmp_path)) == 0
    assert "Nomor : 050/BA/2026" in texts[number - 1]
    assert f"Verifikasi: {archived.verification_url}" in texts[number - 1]


@pytest.mark.parametrize(
    "text",
    [
        "Pembangunan jalan",
        "Pembangunan tempat pembuangan sampah sementara Desa Skala 2-10 dan saluran drainase " * 3,
        "Rehabilitasi " + "x" * 200 + " jembatan",
    ],
)
@pytest.mark.parametrize("code", ["", "9.99.01.2.01.0001"])
def test_lines_fit_the_cell_and_lose_no_character(text, code):
    face = td4_pdf.fonts()
    width = 120.0
    lines = list(td4_pdf._break(td4_pdf.Piece(text, face.sans, code=code), width))
    assert [line_code for _piece, line_code, _text in lines] == [code] + [""] * (len(lines) - 1)
    for _piece, line_code, line in lines:
        room = width - (td4_pdf.stringWidth(line_code + " ", face.mono, 7) if line_code else 0)
        assert td4_pdf.stringWidth(line, face.sans, td4_pdf.SIZE) <= room, line
    assert "".join(line for *_rest, line in lines).replace(" ", "") == text.replace(" ", "")
    if len(text) < 20:  # beside a code that leaves no room for its first word: on the next line
        assert [line for *_rest, line in lines] == ([text] if not code else ["", text])
