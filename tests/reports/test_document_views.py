"""The documents page and the download buttons: who may print what."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.reports.factories import sent_forum
from tests.reports.job_helpers import body, fetch_document

JOB_SLUGS = {"daftar-hadir", "berita-acara", "dsp-opd"}  # dsp-opd: of every OPD

pytestmark = pytest.mark.django_db


def _doc(forum, slug) -> str:
    return reverse("reports:document", args=[forum.pk, slug])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("camat", 200), ("clerk", 200), ("bappeda", 200), ("other_clerk", 403),
     ("outside_bappeda", 403), ("operator", 403), ("opd_reader", 403), ("no_role", 403)],
)  # fmt: skip
def test_documents_page_permissions(sent, persona, status, request, as_user):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("reports:forum", args=[sent.forum.pk])).status_code == status


@pytest.mark.parametrize("slug", ["daftar-hadir", "daftar-usulan", "hasil-skoring", "laporan",
                                  "surat-mandat", "berita-acara", "dsp-opd"])  # fmt: skip
def test_every_button_gives_a_pdf_to_the_kecamatan(sent, clerk, as_user, slug):
    if slug in JOB_SLUGS:  # made by the worker: the button queues, the job's link serves
        response = fetch_document(as_user(clerk), _doc(sent.forum, slug))
        content = body(response)
    else:
        response = as_user(clerk).get(_doc(sent.forum, slug))
        content = response.content
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF-")


@pytest.mark.parametrize("slug", ["berita-acara", "laporan"])
@pytest.mark.parametrize("persona", ["other_clerk", "outside_bappeda", "opd_reader", "operator"])
def test_others_cannot_print_the_forum_documents(sent, slug, persona, request, as_user):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(_doc(sent.forum, slug)).status_code == 403


def test_opd_reader_prints_the_dsp_of_their_own_agency_only(sent, regency, opd_reader, as_user):
    client = as_user(opd_reader)
    own = client.get(_doc(sent.forum, "dsp-opd") + f"?opd={opd_reader.agency_id}")
    assert own.status_code == 200
    assert client.get(_doc(sent.forum, "dsp-opd")).status_code == 200  # defaults to own agency
    other = f.AgencyFactory(regency=regency, abbreviation="DINKES")
    assert client.get(_doc(sent.forum, "dsp-opd") + f"?opd={other.pk}").status_code == 403


def test_opd_reader_cannot_read_the_dsp_before_sending(subdistrict, village, opd_reader, as_user):
    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    response = as_user(opd_reader).get(_doc(data.forum, "dsp-opd"))
    assert response.status_code == 403


def test_minutes_button_before_sending_shows_a_message(subdistrict, village, clerk, as_user):
    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    response = as_user(clerk).get(_doc(data.forum, "berita-acara"), follow=True)
    assert "setelah hasil forum dikirim" in response.content.decode()


def test_the_village_list_of_another_kecamatan_village_is_not_found(
    sent, clerk, as_user, far_village
):
    response = as_user(clerk).get(_doc(sent.forum, "daftar-usulan") + f"?desa={far_village.code}")
    assert response.status_code == 404


def test_unknown_document_is_not_found(sent, clerk, as_user):
    assert as_user(clerk).get(_doc(sent.forum, "rahasia")).status_code == 404


def test_document_needs_login(sent, client):
    response = client.get(_doc(sent.forum, "daftar-hadir"))
    assert response.status_code == 302 and "/masuk/" in response.url


def test_menu_and_kecamatan_panel_lead_to_the_documents(sent, camat, as_user, subdistrict):
    client = as_user(camat)
    page = client.get(reverse("subdistrict_dashboard", args=[subdistrict.code])).content.decode()
    assert reverse("reports:subdistrict", args=[subdistrict.code]) in page  # menu "Dokumen"
    assert reverse("reports:forum", args=[sent.forum.pk]) in page  # panel
    response = client.get(reverse("reports:subdistrict", args=[subdistrict.code]))
    assert response.url == reverse("reports:forum", args=[sent.forum.pk])


def test_kecamatan_without_forum_shows_an_empty_state(subdistrict, camat, as_user, year):
    response = as_user(camat).get(reverse("reports:subdistrict", args=[subdistrict.code]))
    assert "Belum ada forum" in response.content.decode()


def test_opd_dashboard_panel_links_the_dsp(sent, opd_reader, as_user):
    page = as_user(opd_reader).get(reverse("agency_dashboard")).content.decode()
    assert _doc(sent.forum, "dsp-opd") in page


def test_the_dsp_of_every_opd_is_made_by_the_worker_and_of_one_opd_at_once(
    sent, clerk, as_user, regency, pdf_text
):
    """All agencies of a large forum take seconds (12.5 s for 500 priorities on the bench
    machine): the button queues a job; one agency's DSP is a few dozen rows, printed at once."""
    client = as_user(clerk)
    url = _doc(sent.forum, "dsp-opd")
    prepare = client.get(url)
    assert prepare.status_code == 200 and prepare["Content-Type"].startswith("text/html")
    assert "DSP per Perangkat Daerah" in prepare.content.decode() or "semua OPD" in (
        prepare.content.decode()
    )
    response = fetch_document(client, url)
    text = pdf_text(body(response))
    agency = sent.priority[0].responsible_agency
    assert f"Perangkat Daerah Penanggung Jawab: {agency.name}" in text
    one = client.get(url + f"?opd={agency.pk}")
    assert one["Content-Type"] == "application/pdf"
    assert f"Perangkat Daerah Penanggung Jawab: {agency.name}" in pdf_text(one.content)


def test_the_dsp_job_of_every_opd_is_refused_before_sending(subdistrict, village, clerk, as_user):
    data = sent_forum(subdistrict, villages=[village], state="berlangsung")
    response = as_user(clerk).post(_doc(data.forum, "dsp-opd"), follow=True)
    assert "setelah hasil forum dikirim" in response.content.decode()
