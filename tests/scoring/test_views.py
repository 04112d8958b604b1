"""Pages and actions of scoring: permissions, htmx cells, decisions, sending, OPD readers."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring import services
from scoring.models import Result, Score
from sessions.models import Forum
from tests import factories as f
from tests.scoring.factories import forum_with_items, score_all, sent_forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(subdistrict):
    forum, _items, _crits = forum_with_items(subdistrict, items=2, criteria=(1, 2))
    return forum


@pytest.fixture
def computed(forum, camat, agency):
    items, crits = list(forum.items.all()), list(forum.criteria.all())
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    Result.objects.update(responsible_agency=agency)
    return forum


# --- Who may see what ---


@pytest.mark.parametrize("name", ["criteria", "sheet", "results", "results_xlsx"])
@pytest.mark.parametrize(
    "persona,status",
    [
        ("camat", 200),
        ("clerk", 200),
        ("bappeda", 200),
        ("other_clerk", 403),
        ("outside_bappeda", 403),
        ("operator", 403),
        ("opd_reader", 403),
    ],
)
def test_forum_pages_by_role(request, as_user, computed, name, persona, status):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse(f"scoring:{name}", args=[computed.pk]))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, forum):
    response = client.get(reverse("scoring:sheet", args=[forum.pk]))
    assert response.status_code == 302 and "/masuk/" in response.url


ACTIONS = ["compute", "send", "criteria_copy", "apply_ceiling"]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_refuse_get(as_user, camat, forum, name):
    assert as_user(camat).get(reverse(f"scoring:{name}", args=[forum.pk])).status_code == 405


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("persona", ["clerk", "other_clerk", "bappeda", "opd_reader"])
def test_only_the_camat_may_act(request, as_user, forum, name, persona):
    user = request.getfixturevalue(persona)
    response = as_user(user).post(reverse(f"scoring:{name}", args=[forum.pk]))
    assert response.status_code == 403


# --- Sheet and cells ---


def test_sheet_shows_inputs_and_progress_to_the_camat(as_user, camat, forum):
    text = as_user(camat).get(reverse("scoring:sheet", args=[forum.pk])).content.decode()
    assert text.count('class="form-control form-control-sm score-input') == 4
    assert "0 dari 4" in text


def test_staff_sees_the_sheet_without_inputs_in_single_mode(as_user, clerk, forum):
    text = as_user(clerk).get(reverse("scoring:sheet", args=[forum.pk])).content.decode()
    assert "score-input" not in text


def test_cell_is_saved_by_htmx_with_progress(as_user, camat, forum):
    item, criterion = forum.items.first(), forum.criteria.first()
    response = as_user(camat).post(
        reverse("scoring:score_cell", args=[forum.pk]),
        {"item": item.pk, "criterion": criterion.pk, "value": "4"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "is-valid" in text and "1 dari 4" in text
    assert Score.objects.get().value == 4


def test_invalid_cell_shows_the_message_inline_and_saves_nothing(as_user, camat, forum):
    item, criterion = forum.items.first(), forum.criteria.first()
    response = as_user(camat).post(
        reverse("scoring:score_cell", args=[forum.pk]),
        {"item": item.pk, "criterion": criterion.pk, "value": "9"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "is-invalid" in text and "1–5" in text
    assert not Score.objects.exists()


def test_cell_of_another_kecamatan_is_refused(as_user, other_clerk, forum):
    item, criterion = forum.items.first(), forum.criteria.first()
    response = as_user(other_clerk).post(
        reverse("scoring:score_cell", args=[forum.pk]),
        {"item": item.pk, "criterion": criterion.pk, "value": "4"},
    )
    assert response.status_code == 403
    assert not Score.objects.exists()


# --- Hitung, decisions, sending ---


def test_hitung_with_missing_scores_shows_a_message(as_user, camat, forum):
    response = as_user(camat).post(reverse("scoring:compute", args=[forum.pk]), follow=True)
    assert "belum dinilai lengkap" in response.content.decode()
    assert not Result.objects.exists()


def test_reserve_without_reason_is_refused_with_a_message(as_user, camat, computed):
    result = Result.objects.first()
    response = as_user(camat).post(
        reverse("scoring:decide", args=[result.pk]), {"decision": "cadangan"}, follow=True
    )
    assert "wajib diberi alasan" in response.content.decode()
    result.refresh_from_db()
    assert result.decision == ""


def test_camat_decides_and_sends_then_every_control_is_gone(as_user, camat, computed):
    client = as_user(camat)
    first, second = Result.objects.order_by("rank")
    client.post(reverse("scoring:decide", args=[first.pk]), {"decision": "prioritas"})
    client.post(
        reverse("scoring:decide", args=[second.pk]),
        {"decision": "cadangan", "reason": "Sudah didanai dana desa"},
    )
    response = client.post(reverse("scoring:send", args=[computed.pk]), follow=True)
    text = response.content.decode()
    assert "dikirim ke OPD" in text
    computed.refresh_from_db()
    assert computed.state == Forum.State.SENT
    for name in ["scoring:decide", "scoring:undo", "scoring:set_agency", "scoring:send"]:
        assert reverse(name, args=[first.pk if "send" not in name else computed.pk]) not in text
    sheet = client.get(reverse("scoring:sheet", args=[computed.pk])).content.decode()
    assert "score-input" not in sheet and "Hitung" not in sheet
    again = client.post(reverse("scoring:send", args=[computed.pk]), follow=True)
    assert "sudah dikirim sebelumnya" in again.content.decode()


def test_excel_export_reads_back(as_user, clerk, computed):
    response = as_user(clerk).get(reverse("scoring:results_xlsx", args=[computed.pk]))
    from io import BytesIO

    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A4"].value == "Peringkat"
    assert ws["A5"].value == 1 and ws["A6"].value == 2
    total_col = 6 + 2
    assert ws.cell(row=5, column=total_col).value == 15.0  # 1*5 + 2*5


def _ranking_forum(subdistrict, camat, n):
    forum, items, crits = forum_with_items(subdistrict, items=n, criteria=(1, 1, 1))
    score_all(items, crits, camat, value=lambda i, c: (i.pk + c.pk) % 5 + 1)
    services.forum_compute(forum=forum, actor=camat)
    return forum


@pytest.mark.parametrize("n", [5, 50])
def test_ranking_page_costs_constant_queries(
    as_user, camat, subdistrict, n, django_assert_max_num_queries
):
    forum = _ranking_forum(subdistrict, camat, n)
    client = as_user(camat)
    # session, user, forum, criteria, results, averages, scorers, ceiling, commissions,
    # agencies, send problems (counts, items, stale), menu, messages
    with django_assert_max_num_queries(18):
        response = client.get(reverse("scoring:results", args=[forum.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_sheet_costs_constant_queries(
    as_user, camat, subdistrict, n, django_assert_max_num_queries
):
    forum, _items, _crits = forum_with_items(subdistrict, items=n, criteria=(1, 1, 1))
    client = as_user(camat)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("scoring:sheet", args=[forum.pk])).status_code == 200


# --- OPD readers and Bappeda ---


def test_opd_reader_sees_only_sent_priorities_of_their_agency(
    as_user, opd_reader, subdistrict, other_subdistrict, agency, regency
):
    sent = sent_forum(subdistrict, agency=agency, items=2)
    other_agency = f.AgencyFactory(regency=regency, abbreviation="Dinkes")
    sent_forum(other_subdistrict, agency=other_agency, items=1)
    running, items, _ = forum_with_items(f.SubdistrictFactory(regency=regency), items=1, year=2028)
    Result.objects.create(item=items[0], rank=1, decision="prioritas", responsible_agency=agency)
    text = as_user(opd_reader).get(reverse("scoring:agency_priorities")).content.decode()
    for item in sent.items.select_related("proposal"):
        assert item.proposal.reference in text
    assert items[0].proposal.reference not in text
    assert text.count("<tr>") == 1 + 2


def test_bappeda_sees_every_agency_of_their_regency(
    as_user, bappeda, outside_bappeda, subdistrict, agency
):
    sent = sent_forum(subdistrict, agency=agency, items=1)
    reference = sent.items.first().proposal.reference
    assert reference in as_user(bappeda).get(reverse("scoring:agency_priorities")).content.decode()
    outside = as_user(outside_bappeda).get(reverse("scoring:agency_priorities")).content.decode()
    assert reference not in outside


@pytest.mark.parametrize("persona", ["camat", "operator", "no_role"])
def test_agency_page_is_refused_to_other_roles(request, as_user, persona):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("scoring:agency_priorities")).status_code == 403


@pytest.mark.parametrize("n", [5, 50])
def test_agency_page_costs_constant_queries(
    as_user, opd_reader, subdistrict, agency, n, django_assert_max_num_queries
):
    sent_forum(subdistrict, agency=agency, items=n)
    client = as_user(opd_reader)
    with django_assert_max_num_queries(8):
        client.get(reverse("scoring:agency_priorities"))


def test_agency_export_reads_back(as_user, opd_reader, subdistrict, agency):
    sent = sent_forum(subdistrict, agency=agency, items=3)
    response = as_user(opd_reader).get(reverse("scoring:agency_priorities_xlsx"))
    from io import BytesIO

    ws = load_workbook(BytesIO(response.content)).active
    refs = {ws.cell(row=r, column=4).value for r in range(2, ws.max_row + 1)}
    assert refs == set(sent.items.values_list("proposal__reference", flat=True))


def test_opd_dashboard_shows_the_panel(as_user, opd_reader, subdistrict, agency, year):
    sent = sent_forum(subdistrict, agency=agency, items=1)
    text = as_user(opd_reader).get(reverse("agency_dashboard")).content.decode()
    assert sent.items.first().proposal.reference in text
    assert "Prioritas ke OPD" in text


def test_staff_follows_the_camats_sheet_read_only(as_user, camat, clerk, forum):
    items, crits = list(forum.items.all()), list(forum.criteria.all())
    score_all(items[:1], crits, camat, value=4)
    text = as_user(clerk).get(reverse("scoring:sheet", args=[forum.pk])).content.decode()
    assert "score-input" not in text
    assert "2 dari 4" in text


def test_bappeda_dashboard_lists_the_forums_results(
    as_user, bappeda, regency, subdistrict, agency, year
):
    forum = sent_forum(subdistrict, agency=agency, items=2)
    text = as_user(bappeda).get(reverse("regency_dashboard", args=[regency.code])).content.decode()
    assert "1 dari 1 forum sudah dikirim" in text
    assert reverse("scoring:results", args=[forum.pk]) in text


def test_ids_and_weights_are_not_localized_in_inputs(as_user, camat, subdistrict):
    # With thousand separators on, an id 12345 must not become "12.345" in hx-vals.
    forum, _items, (criterion,) = forum_with_items(subdistrict, items=0, criteria=("1.5",))
    f.ForumItemFactory(forum=forum, id=12345)
    client = as_user(camat)
    sheet = client.get(reverse("scoring:sheet", args=[forum.pk])).content.decode()
    assert '"item": "12345"' in sheet
    criteria_page = client.get(reverse("scoring:criteria", args=[forum.pk])).content.decode()
    assert 'value="1.50"' in criteria_page


def test_agency_page_filters_searches_and_sorts(
    as_user, opd_reader, subdistrict, other_subdistrict, agency
):
    first = sent_forum(subdistrict, agency=agency, items=2)
    second = sent_forum(other_subdistrict, agency=agency, items=1)
    cheap, dear = first.items.select_related("proposal").order_by("pk")
    cheap.proposal.__class__.objects.filter(pk=cheap.proposal_id).update(cost=1, agreed_cost=None)
    dear.proposal.__class__.objects.filter(pk=dear.proposal_id).update(cost=5, agreed_cost=900)
    client = as_user(opd_reader)
    url = reverse("scoring:agency_priorities")
    text = client.get(url, {"kecamatan": other_subdistrict.code}).content.decode()
    assert second.items.first().proposal.reference in text
    assert cheap.proposal.reference not in text
    text = client.get(url, {"q": dear.proposal.reference}).content.decode()
    assert dear.proposal.reference in text and cheap.proposal.reference not in text
    text = client.get(url, {"kecamatan": subdistrict.code, "urut": "biaya"}).content.decode()
    assert text.index(dear.proposal.reference) < text.index(cheap.proposal.reference)


def test_sheet_search_finds_a_proposal(as_user, camat, forum):
    first, second = forum.items.select_related("proposal").order_by("pk")
    text = (
        as_user(camat)
        .get(reverse("scoring:sheet", args=[forum.pk]), {"q": second.proposal.reference})
        .content.decode()
    )
    assert second.proposal.reference in text and first.proposal.reference not in text
