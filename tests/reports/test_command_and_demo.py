"""``manage.py render_document`` and the demo hook."""

from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from reports import demo, documents
from reports.models import ArchivedDocument
from tests.reports.factories import sent_forum

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("document", sorted(documents.KINDS))
def test_render_document_writes_each_pdf(sent, tmp_path, pdf_text, document):
    out = tmp_path / "doc.pdf"
    call_command("render_document", document, "--kecamatan", "91.01.01", "--tahun", "2027",
                 "-o", str(out))  # fmt: skip
    assert "SUKAMAJU" in pdf_text(out.read_bytes()).upper()


def test_render_document_takes_desa_and_opd(sent, village, tmp_path, pdf_text):
    out = tmp_path / "desa.pdf"
    call_command("render_document", "daftar-usulan", "--kecamatan", "91.01.01", "--tahun",
                 "2027", "--desa", village.code, "-o", str(out))  # fmt: skip
    assert "DESA MEKAR" in pdf_text(out.read_bytes())
    call_command("render_document", "dsp-opd", "--kecamatan", "91.01.01", "--tahun", "2027",
                 "--opd", "pupr", "-o", str(out))  # fmt: skip
    assert "DINAS PUPR UJI" in pdf_text(out.read_bytes())


def test_render_document_serves_the_archived_minutes(sent, camat, tmp_path):
    from reports import services

    archived = services.minutes_finalize(forum=sent.forum, actor=camat, participant_count=3)
    out = tmp_path / "ba.pdf"
    call_command("render_document", "berita-acara", "--kecamatan", "91.01.01", "--tahun",
                 "2027", "-o", str(out))  # fmt: skip
    with archived.file.open("rb") as handle:
        assert out.read_bytes() == handle.read()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--kecamatan", "99.99.99", "--tahun", "2027"], "tidak ditemukan"),
     (["--kecamatan", "91.01.01", "--tahun", "2030"], "belum dibentuk"),
     (["--kecamatan", "91.01.01", "--tahun", "2027", "--opd", "XYZ"], "OPD dengan singkatan"),
     (["--kecamatan", "91.01.01", "--tahun", "2027", "--desa", "1.2"], "tidak ada di")],
)  # fmt: skip
def test_render_document_explains_errors_in_indonesian(sent, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_document", "daftar-usulan", *args, "-o", str(tmp_path / "x.pdf"))


def test_render_document_refuses_minutes_before_sending(subdistrict, village, tmp_path):
    sent_forum(subdistrict, villages=[village], state="berlangsung")
    with pytest.raises(CommandError, match="setelah hasil forum dikirim"):
        call_command("render_document", "berita-acara", "--kecamatan", "91.01.01", "--tahun",
                     "2027", "-o", str(tmp_path / "x.pdf"))  # fmt: skip


def _ctx(subdistrict, camat):
    return SimpleNamespace(stabat=subdistrict, year=2027, users={"camat.stabat": camat}, log=[])


def test_demo_archives_the_sent_forum_once(sent, subdistrict, camat):
    ctx = _ctx(subdistrict, camat)
    demo.seed(ctx)
    demo.seed(ctx)
    archived = ArchivedDocument.objects.get()
    assert archived.participant_count == 8
    assert archived.code in ctx.log[-1]


def test_demo_logs_when_the_forum_is_not_sent(subdistrict, village, camat):
    sent_forum(subdistrict, villages=[village], state="berlangsung")
    ctx = _ctx(subdistrict, camat)
    demo.seed(ctx)
    assert not ArchivedDocument.objects.exists()
    assert "belum dikirim" in ctx.log[0]
