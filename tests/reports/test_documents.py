"""Each document is rendered and read back as text with pdftotext."""

import pytest
from django.utils import timezone

from musrenbang.exceptions import DomainError
from reports import documents
from scoring.models import Result
from sessions.models import Participant
from tests import factories as f
from tests.forums import send
from tests.reports.factories import sent_forum

pytestmark = pytest.mark.django_db


def test_minutes_carry_opening_sentence_counts_rows_reasons_delegates_and_signers(
    sent, subdistrict, pdf_text
):
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert "KECAMATAN SUKAMAJU" in text
    # 16 February 2026 was a Monday.
    assert (
        "Pada hari ini Senin tanggal enam belas bulan Februari tahun dua ribu dua puluh enam"
        in text
    )
    assert "Aula Kantor Camat" in text
    # 6 villagers + 1 DPRD + 1 Bappeda attended; the absent invitee is not counted.
    assert "8 (delapan) orang" in text
    assert "3 (tiga) usulan" in text
    for result in sent.priority:
        assert result.item.proposal.title in text
    for result in sent.reserve:
        assert result.item.proposal.title in text
        assert result.reason in text
    for delegate in sent.delegates:
        assert delegate.participant.name in text
    for signer in [subdistrict.camat_name, "Hj. Ani DPRD", "Bambang Bappeda"]:
        assert signer in text
    assert "NIP. 197001012000011001" in text
    assert "Lampiran I" in text and "Lampiran IV" in text
    assert "Prioritas Daerah" in text and "Perangkat Daerah Penanggung Jawab" in text
    assert "Halaman 1 dari" in text
    assert "DRAF" in text


def test_minutes_use_the_camat_participant_count_when_set(sent, pdf_text):
    sent.forum.participant_count = 120
    sent.forum.save(update_fields=["participant_count"])  # allowed after sending, until archived
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert "120 (seratus dua puluh) orang" in text


def test_minutes_group_priorities_by_sector_and_agency_with_subtotals(sent, pdf_text):
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert "Bidang Sarana dan Prasarana · Dinas PUPR Uji" in text
    assert "JUMLAH SELURUHNYA (3 usulan) Rp 60.000.000" in text


@pytest.mark.parametrize("slug", ["berita-acara", "dsp-opd", "laporan", "surat-mandat"])
def test_documents_of_the_result_refuse_before_sending(subdistrict, village, slug):
    from tests.reports.factories import sent_forum

    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    with pytest.raises(DomainError, match="setelah hasil forum dikirim"):
        documents.render(slug, data.forum)


def test_minutes_refuse_without_forum_date(running):
    running.forum.date = None
    running.forum.save()
    forum = send(running.forum)
    with pytest.raises(DomainError, match="Tanggal pelaksanaan"):
        documents.render("berita-acara", forum)


def test_letterhead_names_the_government_and_the_kecamatan(sent, pdf_text):
    text = pdf_text(documents.render("daftar-hadir", sent.forum).content)
    assert "PEMERINTAH KABUPATEN CONTOH KECAMATAN SUKAMAJU" in text


def test_blank_attendance_lists_invitees_and_spare_rows_without_times(running, pdf_text):
    f.ParticipantFactory(forum=running.forum, name="Pendaftar Di Tempat", walk_in=True)
    forum = send(running.forum)
    text = pdf_text(documents.render("daftar-hadir", forum, blank=True).content)
    assert "Undangan Tidak Datang" in text
    assert "Pendaftar Di Tempat" not in text
    assert "Formulir untuk ditandatangani" in text
    # 9 pre-registered people, then 15 spare numbered rows.
    assert "24. ..." in text
    assert "Rekapitulasi peserta terdaftar" in text


def test_filled_attendance_lists_who_came_with_times_and_counts(sent, pdf_text):
    local = timezone.localtime(sent.participants[0].present_at)
    text = pdf_text(documents.render("daftar-hadir", sent.forum).content)
    assert "Warga Hadir 000" in text
    assert "Undangan Tidak Datang" not in text
    assert local.strftime("%H.%M") in text
    # 6 villagers (2 women), DPRD (woman), Bappeda (man): 5 men, 3 women, 8 in all.
    assert "Delegasi desa/kelurahan 4 2 6" in text
    assert "Anggota DPRD dapil 0 1 1" in text
    assert "Jumlah 5 3 8" in text


def test_village_list_shows_each_village_proposals_with_total(sent, village, pdf_text):
    text = pdf_text(documents.render("daftar-usulan", sent.forum, village=village).content)
    assert "DAFTAR USULAN MUSRENBANG DESA MEKAR" in text
    assert "DESA SARI" not in text
    titles = [r.item.proposal.title for r in sent.priority + sent.reserve]
    mine = [r.item.proposal.title for r in sent.priority + sent.reserve
            if r.item.proposal.village_id == village.pk]  # fmt: skip
    for title in mine:
        assert title in text
    assert set(titles) - set(mine)
    for title in set(titles) - set(mine):
        assert title not in text


def test_scoring_lists_every_item_with_rank_total_and_decision(running, pdf_text):
    sent = running
    criterion = f.CriterionFactory(forum=sent.forum, name="Kemendesakan")
    first = sent.priority[0]
    # the averages the last Hitung weighted the total from (two scorers: 4 and 3) ...
    Result.objects.filter(pk=first.pk).update(averages={str(criterion.pk): "3.50"})
    # ... not the live scores: the ranking page and this list show the same figures
    f.ScoreFactory(item=first.item, criterion=criterion, value=1)
    text = pdf_text(documents.render("hasil-skoring", send(sent.forum)).content)
    assert "K1 = Kemendesakan" in text
    for result in sent.priority + sent.reserve:
        assert result.item.proposal.title in text
    assert "Cadangan (non-prioritas)" in text
    assert "3,5" in text  # the live average (1) would fail this


def test_agency_list_shows_only_that_agency(sent, regency, pdf_text):
    agency = sent.priority[0].responsible_agency
    other = f.AgencyFactory(regency=regency, abbreviation="DINKES", name="Dinas Kesehatan Uji")
    text = pdf_text(documents.render("dsp-opd", sent.forum, agency=agency).content)
    assert "UNTUK DINAS PUPR UJI" in text
    for result in sent.priority:
        assert result.item.proposal.title in text
    for result in sent.reserve:
        assert result.item.proposal.title not in text
    empty = pdf_text(documents.render("dsp-opd", sent.forum, agency=other).content)
    assert "JUMLAH (0 usulan)" in empty


def test_report_has_recap_tables_and_attachment_list(sent, pdf_text):
    text = pdf_text(documents.render("laporan", sent.forum).content)
    assert "LAPORAN HASIL MUSRENBANG KECAMATAN SUKAMAJU" in text
    assert "Rekapitulasi usulan per desa/kelurahan" in text
    assert "Desa Mekar" in text and "Desa Sari" in text
    assert "1 Desa Mekar 3 3 2 1 Rp 40.000.000" in text
    assert "2 Desa Sari 2 2 1 1 Rp 20.000.000" in text
    assert "5 5 3 2 Rp 60.000.000 JUMLAH" in text
    assert "Lampiran" in text and "Daftar Hadir peserta" in text
    assert "laki-laki 5, perempuan 3" in text


def test_mandates_one_page_per_elected_delegate(sent, pdf_text):
    content = documents.render("surat-mandat", sent.forum).content
    text = pdf_text(content)
    for delegate in sent.delegates:
        assert delegate.participant.name in text
    assert "Forum Perangkat Daerah" in text
    assert "Halaman 2 dari 2" in text


def test_unknown_document_is_refused(sent):
    with pytest.raises(DomainError, match="tidak dikenal"):
        documents.render("surat-cinta", sent.forum)


def test_letterhead_embeds_the_regency_logo(sent, regency):
    from django.core.files.base import ContentFile

    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4"
        "890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
    regency.logo.save("logo.png", ContentFile(png))
    template, context = documents.build_attendance(sent.forum)
    assert context["logo"].startswith("data:image/png;base64,")


def test_participant_categories_used_for_signers_are_the_forum_categories():
    assert Participant.Category.DPRD == "dprd"
    assert Participant.Category.BAPPEDA == "bappeda"


@pytest.fixture
def running(subdistrict, village, other_village, year, camat):
    """The ``sent`` forum still running: a test adds its rows, then sends it (``send``)."""
    return sent_forum(subdistrict, villages=[village, other_village], state="berlangsung")
