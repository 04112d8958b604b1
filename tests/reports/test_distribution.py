"""The register of outgoing documents: to whom, when, by whom, received by whom."""

import datetime as dt

import pytest
from django.urls import reverse

from reports.models import Distribution
from tests import factories as f

pytestmark = pytest.mark.django_db


def _url(forum) -> str:
    return reverse("reports:distribution", args=[forum.pk])


def _data(**extra) -> dict:
    return {
        "number": "050/123/Kec.Skm/2026",
        "document_title": "Laporan Hasil Musrenbang",
        "recipient_kind": "bappeda",
        "sent_on": "2026-02-20",
        **extra,
    }


def test_clerk_records_a_sending_to_bappeda(sent, clerk, as_user):
    response = as_user(clerk).post(_url(sent.forum), _data(recipient_name="Bappeda"), follow=True)
    entry = Distribution.objects.get()
    assert entry.sent_by == clerk and entry.sent_on == dt.date(2026, 2, 20)
    assert "Pengiriman nomor 050/123/Kec.Skm/2026 dicatat." in response.content.decode()
    assert "050/123/Kec.Skm/2026" in response.content.decode()


def test_sending_to_an_opd_names_the_agency(sent, clerk, as_user, agency):
    as_user(clerk).post(_url(sent.forum), _data(recipient_kind="opd", agency=agency.pk))
    assert Distribution.objects.get().agency == agency


def test_sending_to_an_opd_without_agency_is_refused(sent, clerk, as_user):
    response = as_user(clerk).post(_url(sent.forum), _data(recipient_kind="opd"), follow=True)
    assert "Pilih OPD penerima" in response.content.decode()
    assert not Distribution.objects.exists()


def test_an_agency_of_another_regency_is_refused(sent, clerk, as_user, other_regency):
    foreign = f.AgencyFactory(regency=other_regency, abbreviation="LAIN")
    as_user(clerk).post(_url(sent.forum), _data(recipient_kind="opd", agency=foreign.pk))
    assert not Distribution.objects.exists()


def test_a_number_is_used_once_per_forum(sent, clerk, as_user):
    client = as_user(clerk)
    client.post(_url(sent.forum), _data())
    response = client.post(_url(sent.forum), _data(), follow=True)
    assert "sudah tercatat" in response.content.decode()
    assert Distribution.objects.count() == 1


def test_receipt_is_recorded_once(sent, clerk, as_user):
    client = as_user(clerk)
    client.post(_url(sent.forum), _data())
    entry = Distribution.objects.get()
    url = reverse("reports:distribution_receive", args=[entry.pk])
    client.post(url, {"received_by": "Sekretariat Bappeda", "received_on": "2026-02-21"})
    entry.refresh_from_db()
    assert entry.received_by == "Sekretariat Bappeda"
    response = client.post(
        url, {"received_by": "Orang lain", "received_on": "2026-02-22"}, follow=True
    )
    assert "sudah dicatat" in response.content.decode()
    entry.refresh_from_db()
    assert entry.received_by == "Sekretariat Bappeda"


def test_receipt_before_sending_date_is_refused(sent, clerk, as_user):
    client = as_user(clerk)
    client.post(_url(sent.forum), _data())
    entry = Distribution.objects.get()
    url = reverse("reports:distribution_receive", args=[entry.pk])
    response = client.post(url, {"received_by": "X", "received_on": "2026-01-01"}, follow=True)
    assert "sebelum tanggal kirim" in response.content.decode()


def test_register_views_refuse_get(sent, clerk, as_user):
    assert as_user(clerk).get(_url(sent.forum)).status_code == 405


def test_register_needs_login(sent, client):
    response = client.post(_url(sent.forum), _data())
    assert response.status_code == 302 and "/masuk/" in response.url


@pytest.mark.parametrize("persona", ["other_clerk", "bappeda", "opd_reader", "operator"])
def test_only_the_kecamatan_records_sendings(sent, persona, request, as_user):
    user = request.getfixturevalue(persona)
    assert as_user(user).post(_url(sent.forum), _data()).status_code == 403
    assert not Distribution.objects.exists()
