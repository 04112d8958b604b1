"""T-D.4's columns in the Berita Acara and DSP per OPD, from the nomenclature of the forum's
year; the OPD chosen through the kamus reaching its agency's reader; totals by program."""

import pytest
from django.urls import reverse

from musrenbang.models import KamusEntry, Nomenclature, RegionalTarget
from proposals import services as proposal_services
from proposals.models import Proposal
from reports import documents, selectors
from scoring.models import Result
from scoring.services import result_decide
from sessions.models import Forum, ForumItem
from tests import factories as f
from tests.forums import send
from tests.musrenbang.test_kamus import TREE, load_tree


@pytest.fixture
def nomenclature(db):
    return load_tree()


def _give_sub_activities(sent, nomenclature):
    sub = Nomenclature.objects.get(instrument=nomenclature, code="9.99.01.2.01.0001")
    target = RegionalTarget.objects.create(
        priority=sent.priority[0].item.proposal.development_priority,
        name="Meningkatnya kemantapan jalan",
    )
    # A queryset update: the sent forum's rows are locked against save() (sessions.locks).
    Proposal.objects.filter(pk__in=[r.item.proposal_id for r in sent.priority]).update(
        sub_activity=sub, regional_target=target
    )
    return sub


TD4_HEADERS = [
    "No",
    "Prioritas Daerah",
    "Sasaran Daerah",
    "Program dan Kegiatan Prioritas / Sub Kegiatan",
    "Sasaran Kegiatan",
    "Lokasi",
    "Volume",
    "Pagu",
    "Perangkat Daerah Penanggung Jawab",
]


def test_minutes_dsp_carries_the_td4_columns_and_codes(sent, nomenclature, pdf_text):
    _give_sub_activities(sent, nomenclature)
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    for header in TD4_HEADERS:
        assert header in text, header
    assert "9.99.01 Program Jalan Uji" in text
    assert "9.99.01.2.01 Kegiatan Jalan Uji" in text
    assert "9.99.01.2.01.0001 Pembangunan Jalan Uji" in text
    assert "Jalan terbangun" in text  # Sasaran Kegiatan: the sub kegiatan's performance
    assert "Meningkatnya kemantapan jalan" in text
    assert "Pembangunan Infrastruktur" in text
    assert "JUMLAH SELURUHNYA (3 usulan) Rp 60.000.000" in text


def test_dsp_per_opd_carries_the_td4_columns(sent, nomenclature, pdf_text):
    _give_sub_activities(sent, nomenclature)
    agency = sent.priority[0].responsible_agency
    text = pdf_text(documents.render("dsp-opd", sent.forum, agency=agency).content)
    for header in TD4_HEADERS[:-1]:
        assert header in text, header
    assert "9.99.01.2.01.0001 Pembangunan Jalan Uji" in text
    assert "Perangkat Daerah Penanggung Jawab: Dinas PUPR Uji" in text


def test_documents_use_the_nomenclature_of_the_forums_year(sent, nomenclature, pdf_text):
    """A sub kegiatan of an older instrument is printed with the code of the forum's year."""
    _give_sub_activities(sent, nomenclature)
    renumbered = [*TREE[:4], ["9.99.01.2.01.0101", "Pembangunan Jalan Baru", "", "Jalan baru",
                              "", "km", "9.99.01.2.01.0001"]]  # fmt: skip
    load_tree("Instrumen Uji 2/2027", 2027, renumbered)
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert "9.99.01.2.01.0101 Pembangunan Jalan Baru" in text
    assert "9.99.01.2.01.0001" not in text


def test_a_proposal_without_sub_activity_says_so(sent, pdf_text):
    text = pdf_text(documents.render("berita-acara", sent.forum).content)
    assert "Sub kegiatan belum ditetapkan" in text


def test_forum_bundle_reads_the_nomenclature_in_constant_queries(
    sent, nomenclature, django_assert_max_num_queries
):
    _give_sub_activities(sent, nomenclature)
    with django_assert_max_num_queries(9):
        bundle = selectors.forum_bundle(sent.forum)
        programs = [row.program.code for row in bundle.priority]
    assert programs == ["9.99.01"] * 3


def test_overview_totals_priorities_by_program(sent, nomenclature, regency, as_user, bappeda):
    _give_sub_activities(sent, nomenclature)
    data = selectors.regency_overview(regency, 2027)
    assert [(p["program_code"], p["count"]) for p in data["per_program"]] == [("9.99.01", 3)]
    page = as_user(bappeda).get(reverse("reports:overview", args=[regency.code]) + "?tahun=2027")
    text = page.content.decode()
    assert "Prioritas per program (nomenklatur)" in text and "Program Jalan Uji" in text


def test_opd_chosen_through_the_kamus_reaches_that_agencys_reader(
    as_user, regency, subdistrict, village, operator, camat, year, nomenclature
):
    """The desa chooses a kamus entry of Dinkes without picking an OPD; after the forum's
    decision and sending, the Dinkes reader sees it and the PUPR reader does not."""
    sector = f.SectorFactory(regency=regency, name="Sosial Budaya")
    dinkes = f.AgencyFactory(regency=regency, abbreviation="DINKES", name="Dinas Kesehatan Uji")
    pupr = f.AgencyFactory(regency=regency, abbreviation="PUPR2", name="Dinas PUPR Dua")
    entry = KamusEntry.objects.create(
        regency=regency, year=2027, name="Rehabilitasi Posyandu", unit="unit",
        unit_price=25_000_000, sector=sector, agency=dinkes,
        sub_activity=Nomenclature.objects.get(code="9.99.01.2.01.0002"),
    )  # fmt: skip
    proposal = proposal_services.proposal_create(
        actor=operator,
        year=2027,
        village=village,
        data={"title": "Rehab posyandu Melati", "location": "RW 03", "volume": 1,
              "unit": "", "cost": None, "kamus": entry},
    )  # fmt: skip
    assert proposal.suggested_agency == dinkes
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027, state=Forum.State.RUNNING)
    item = ForumItem.objects.create(forum=forum, proposal=proposal)
    result = Result.objects.create(item=item, rank=1)
    result_decide(result=result, decision=Result.Decision.PRIORITY, actor=camat)
    forum = send(forum, actor=camat)
    reader = f.UserFactory(username="opd_dinkes", role="opd", agency=dinkes, regency=regency)
    other = f.UserFactory(username="opd_pupr2", role="opd", agency=pupr, regency=regency)
    url = reverse("scoring:agency_priorities")
    assert proposal.reference in as_user(reader).get(url).content.decode()
    assert proposal.reference not in as_user(other).get(url).content.decode()
