"""Bappeda's overview: every kecamatan, totals per OPD and bidang, Excel, constant queries."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.reports.factories import sent_forum
from tests.reports.job_helpers import body, fetch_document

pytestmark = pytest.mark.django_db


def _url(regency) -> str:
    return reverse("reports:overview", args=[regency.code]) + "?tahun=2027"


def _kecamatan(regency, count: int) -> None:
    for n in range(count):
        sub = f.SubdistrictFactory(regency=regency, code=f"{regency.code}.{n + 10:02d}")
        forum = f.ForumFactory(subdistrict=sub, year=2027)
        f.ParticipantFactory(forum=forum, gender="P", present_at="2026-02-16T09:00+07:00")
        item = f.ForumItemFactory(forum=forum)
        f.ResultFactory(item=item, decision="prioritas", rank=1)


@pytest.mark.parametrize("count", [5, 50])
def test_overview_costs_the_same_number_of_queries_for_5_and_50_kecamatan(
    regency, year, bappeda, as_user, django_assert_max_num_queries, count
):
    _kecamatan(regency, count)
    client = as_user(bappeda)
    # session, user, regency, year; 8 grouped reads (kecamatan, forums, proposals, results,
    # participants, delegates, ceilings, archives); the SIPD input progress; totals per OPD
    # and per bidang; the year picker's list; the menu's regency code; follow-up progress per
    # OPD and per kecamatan: 19 whatever the number of kecamatan.
    with django_assert_max_num_queries(19):
        response = client.get(_url(regency))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 50)


def test_overview_counts_totals_and_womens_share(sent, regency, year, bappeda, as_user, camat):
    from reports import services

    services.minutes_finalize(forum=sent.forum, actor=camat, participant_count=8)
    response = as_user(bappeda).get(_url(regency))
    row = next(r for r in response.context["data"]["rows"] if r["forum"])
    assert row["received"] == 5 and row["verified"] == 5
    assert row["priority"] == 3 and row["reserve"] == 2
    assert row["priority_total"] == 60_000_000
    assert row["ceiling"] == 1_000_000_000
    assert str(row["women_participants"]) == "37.5"  # 3 women of 8 present
    assert str(row["women_delegates"]) == "50.0"  # Warga Hadir 000 (P) and 001 (L)
    page = response.content.decode()
    assert "Rp 60.000.000" in page and "BA final" in page
    per_agency = response.context["data"]["per_agency"]
    assert per_agency == [{"agency_name": "Dinas PUPR Uji", "count": 3, "total": 60_000_000}]
    assert response.context["data"]["per_sector"][0]["sector_name"] == "Sarana dan Prasarana"


def test_overview_searches_and_sorts(sent, regency, year, other_subdistrict, bappeda, as_user):
    client = as_user(bappeda)
    found = client.get(_url(regency) + "&q=mundur").context["page"].object_list
    assert [r["subdistrict"].name for r in found] == ["Sukamundur"]
    ranked = client.get(_url(regency) + "&urut=prioritas").context["page"].object_list
    assert ranked[0]["subdistrict"].name == "Sukamaju"


def test_overview_exports_to_excel(sent, regency, year, bappeda, as_user):
    response = fetch_document(
        as_user(bappeda), reverse("reports:overview_export", args=[regency.code]) + "?tahun=2027"
    )
    assert response.status_code == 200
    wb = load_workbook(BytesIO(body(response)))
    assert wb.sheetnames[:4] == ["Kecamatan 2027", "Per OPD", "Per bidang", "Per program"]
    rows = list(wb["Kecamatan 2027"].values)
    assert rows[0][1] == "Kecamatan"
    assert rows[1][:9] == ("91.01.01", "Sukamaju", "Terkirim ke OPD", 5, 5, 3, 2, 60_000_000,
                           1_000_000_000)  # fmt: skip
    assert rows[-1][1] == "JUMLAH"
    assert list(wb["Per OPD"].values)[1] == ("Dinas PUPR Uji", 3, 60_000_000)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bappeda", 200), ("outside_bappeda", 403), ("camat", 403), ("clerk", 403),
     ("opd_reader", 403), ("operator", 403)],
)  # fmt: skip
def test_only_bappeda_of_the_regency_sees_the_overview(
    regency, year, persona, status, request, as_user
):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(_url(regency)).status_code == status
    export = reverse("reports:overview_export", args=[regency.code])
    assert as_user(user).get(export).status_code == status


def test_overview_needs_login(regency, client):
    assert client.get(_url(regency)).status_code == 302


def test_regency_dashboard_has_the_panel_and_menu(sent, regency, year, bappeda, as_user):
    page = as_user(bappeda).get(reverse("regency_dashboard", args=[regency.code])).content.decode()
    assert "Buka ikhtisar" in page
    assert "Ikhtisar &amp; Dokumen" in page
    assert reverse("reports:overview", args=[regency.code]) in page


def test_a_kecamatan_with_a_sent_forum_is_counted_in_the_panel(
    sent, regency, year, bappeda, as_user
):
    page = as_user(bappeda).get(reverse("regency_dashboard", args=[regency.code])).content.decode()
    assert "Forum terkirim: <strong>1</strong>" in page


def test_sent_forum_helper_is_shared(subdistrict, village):
    assert sent_forum(subdistrict, villages=[village]).forum.is_locked


def test_overview_rows_filter_by_name_and_sort_each_way():
    from types import SimpleNamespace

    from reports.selectors import overview_rows

    def row(code, name, total, received):
        place = SimpleNamespace(code=code, name=name)
        return {"subdistrict": place, "priority_total": total, "received": received}

    rows = [row("01", "Ciledug", 5, 9), row("02", "Batu Ceper", 7, 1), row("03", "Cipondoh", 1, 4)]

    def names(**kw):
        return [r["subdistrict"].name for r in overview_rows(rows, **kw)]

    assert names(search="CI") == ["Ciledug", "Cipondoh"]
    assert names(sort="nama") == ["Batu Ceper", "Ciledug", "Cipondoh"]
    assert names(sort="prioritas") == ["Batu Ceper", "Ciledug", "Cipondoh"]
    assert names(sort="usulan") == ["Ciledug", "Cipondoh", "Batu Ceper"]
    assert (
        names(sort="kode") == names(sort="tidak-dikenal") == ["Ciledug", "Batu Ceper", "Cipondoh"]
    )
