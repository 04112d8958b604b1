"""After "Kirim ke OPD" the kecamatan's year looks finished.

Sending closes the proposals the forum never took in ("Tidak dibahas"), every page of the year
says once that it is closed and offers no control the services would refuse, and the desa and
the kecamatan see the forum's outcome of each proposal.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from musrenbang.exceptions import DomainError
from musrenbang.models import PlanningYear
from proposals import services as proposal_services
from proposals.models import Origin, Proposal, Status, Transition
from scoring import services
from scoring.models import Result
from tests import factories as f
from tests.scoring.factories import forum_with_items, score_all

pytestmark = pytest.mark.django_db

CLOSED = "sudah ditutup"
REFUSED_CONTROLS = [
    "Tambah usulan",
    "Ajukan semua",
    "Naikkan prioritas",
    "Turunkan prioritas",
    ">Ubah<",
    "Batas pengajuan sudah lewat",
    "Terima dan register",
    "Verifikasi</button>",
    "Kembalikan ke desa",
    ">Tolak<",
    "Terapkan ke yang dicentang",
    "Lanjutkan usulan tahun lalu",
]


@pytest.fixture
def closed(subdistrict, village, camat, agency, sector, year):
    """Run a forum with two of the desa's proposals (one priority, one reserve) to the end,
    beside proposals of the same desa that never reached the forum."""
    forum, items, crits = forum_with_items(subdistrict, items=2, criteria=(1,))
    for rank, item in enumerate(items, 1):
        Proposal.objects.filter(pk=item.proposal_id).update(
            village=village, village_rank=rank, suggested_agency=agency
        )
    score_all(items, crits, camat, value=lambda i, c: 5 - items.index(i))
    services.forum_compute(forum=forum, actor=camat)
    first, second = Result.objects.order_by("rank")
    services.result_decide(result=first, decision="prioritas", actor=camat)
    services.result_decide(
        result=second, decision="cadangan", reason="Melebihi pagu indikatif.", actor=camat
    )
    make = f.ProposalFactory
    left = {
        "submitted": make(village=village, status=Status.SUBMITTED, village_rank=3),
        "received": make(village=village, status=Status.RECEIVED, village_rank=4),
        "draft": make(village=village, status=Status.DRAFT, village_rank=5),
        "returned": make(village=village, status=Status.RETURNED, village_rank=6),
        "kecamatan_draft": make(
            village=None, subdistrict=subdistrict, origin=Origin.SUBDISTRICT, sector=sector
        ),
    }
    PlanningYear.objects.filter(pk=year.pk).update(
        submission_deadline=timezone.now() - dt.timedelta(days=1)
    )
    services.forum_send(forum=forum, actor=camat)
    return {"forum": forum, "priority": first, "reserve": second, **left}


def _reload(proposal):
    return Proposal.objects.get(pk=proposal.pk)


# --- Sending closes what the forum never took in ---------------------------------------------


def test_sending_closes_never_loaded_submitted_and_received_proposals(closed, camat):
    for key in ("submitted", "received"):
        proposal = _reload(closed[key])
        assert proposal.status == Status.NOT_DISCUSSED
        transition = proposal.transitions.get(to_status=Status.NOT_DISCUSSED)
        assert transition.from_status == closed[key].status
        assert transition.actor == camat and transition.public
        assert "sudah dikirim ke OPD" in transition.reason


def test_sending_records_the_closure_in_proposals_own_data(closed, subdistrict, camat):
    from proposals.models import YearClosure

    closure = YearClosure.objects.get(subdistrict=subdistrict, year=2027)
    assert closure.closed_by == camat
    closed["forum"].refresh_from_db()
    assert closure.closed_at <= closed["forum"].sent_at


def test_sending_leaves_drafts_returned_and_forum_proposals_alone(closed):
    assert _reload(closed["draft"]).status == Status.DRAFT
    assert _reload(closed["kecamatan_draft"]).status == Status.DRAFT
    assert _reload(closed["returned"]).status == Status.RETURNED
    assert _reload(closed["priority"].item.proposal).status == Status.VERIFIED


def test_sending_closes_nothing_of_another_kecamatan_or_year(
    subdistrict, far_village, village, camat, agency
):
    elsewhere = f.ProposalFactory(village=far_village, status=Status.SUBMITTED)
    next_year = f.ProposalFactory(village=village, status=Status.SUBMITTED, year=2028)
    proposal_services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=camat)
    assert _reload(elsewhere).status == Status.SUBMITTED
    assert _reload(next_year).status == Status.SUBMITTED


def test_only_the_camat_closes_the_year(subdistrict, clerk, village):
    f.ProposalFactory(village=village, status=Status.SUBMITTED)
    with pytest.raises(DomainError):
        proposal_services.proposals_close_year(subdistrict=subdistrict, year=2027, actor=clerk)
    assert not Transition.objects.filter(to_status=Status.NOT_DISCUSSED).exists()


def test_a_not_discussed_proposal_is_shown_on_its_tracking_page(client, closed):
    proposal = closed["submitted"]
    text = client.get(reverse("proposals:track", args=[proposal.tracking_code])).content.decode()
    assert "Tidak dibahas: forum sudah selesai" in text
    assert "Tidak dibahas dalam forum" in text


def test_a_not_discussed_proposal_can_be_carried_over_next_year(closed, village, operator):
    f.PlanningYearFactory(regency=village.subdistrict.regency, year=2028)
    candidates = proposal_services.carry_over_candidates(village=village, year=2028)
    assert closed["submitted"].pk in {p.pk for p in candidates}
    created = proposal_services.proposals_carry_over(actor=operator, village=village, year=2028)
    assert closed["submitted"].pk in {p.carried_over_from_id for p in created}


def test_a_reserve_tracking_page_does_not_say_it_went_to_an_opd(client, closed):
    proposal = closed["reserve"].item.proposal
    text = client.get(reverse("proposals:track", args=[proposal.tracking_code])).content.decode()
    assert "Menjadi usulan cadangan" in text
    assert "Dikirim ke OPD" not in text
    assert "Diteruskan ke" not in text


# --- No refused control, one notice, the outcome ---------------------------------------------


def _assert_closed_page(text: str) -> None:
    assert text.count(CLOSED) == 1
    for control in REFUSED_CONTROLS:
        assert control not in text, control


def test_the_operator_list_shows_no_control_and_each_outcome(as_user, operator, closed, agency):
    text = as_user(operator).get(reverse("proposals:village_list")).content.decode()
    _assert_closed_page(text)
    assert "Prioritas peringkat 1" in text
    assert f"OPD: {agency.name}" in text
    assert "Alasan: Melebihi pagu indikatif." in text
    assert "Tidak dibahas" in text


@pytest.mark.parametrize("key", ["priority", "reserve", "submitted", "draft", "returned"])
def test_the_operator_proposal_page_shows_no_control_and_the_outcome(
    as_user, operator, closed, key
):
    proposal = closed[key].item.proposal if key in ("priority", "reserve") else closed[key]
    response = as_user(operator).get(reverse("proposals:detail", args=[proposal.pk]))
    text = response.content.decode()
    _assert_closed_page(text)
    assert "Ajukan</button>" not in text
    assert "Unggah</button>" not in text
    expected = {
        "priority": "Prioritas peringkat 1",
        "reserve": "Melebihi pagu indikatif.",
        "submitted": "Tidak dibahas",
    }
    if key in expected:
        assert expected[key] in text


@pytest.mark.parametrize("key", ["priority", "submitted", "returned", "kecamatan_draft"])
def test_the_staff_proposal_page_shows_no_control(as_user, clerk, closed, key):
    proposal = closed[key].item.proposal if key == "priority" else closed[key]
    text = as_user(clerk).get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    _assert_closed_page(text)
    assert "Tindak lanjut kecamatan" not in text


def test_the_edit_page_of_a_closed_year_sends_back_to_the_proposal(as_user, operator, closed):
    proposal = closed["draft"]
    response = as_user(operator).get(reverse("proposals:edit", args=[proposal.pk]))
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()


def test_the_create_page_of_a_closed_year_is_not_offered(as_user, clerk, closed):
    response = as_user(clerk).get(reverse("proposals:create") + "?tahun=2027")
    assert response.status_code == 302


def test_the_intake_list_shows_no_control_and_the_outcome(as_user, clerk, closed):
    text = as_user(clerk).get(reverse("proposals:incoming")).content.decode()
    _assert_closed_page(text)
    assert 'name="ids"' not in text
    assert "Hasil forum" in text and "Prioritas peringkat 1" in text


def test_the_import_page_of_a_closed_year_offers_no_upload(as_user, clerk, closed):
    text = as_user(clerk).get(reverse("proposals:import") + "?tahun=2027").content.decode()
    assert text.count(CLOSED) == 1
    assert 'type="file"' not in text


def test_the_dashboards_say_once_that_the_year_is_closed(as_user, clerk, operator, closed):
    sub = closed["forum"].subdistrict
    text = as_user(clerk).get(reverse("subdistrict_dashboard", args=[sub.code])).content.decode()
    assert text.count(CLOSED) == 1
    village = operator.village
    text = as_user(operator).get(reverse("village_dashboard", args=[village.code]))
    text = text.content.decode()
    assert text.count(CLOSED) == 1
    assert "dapat diajukan sampai" not in text


def test_an_open_year_shows_its_controls(as_user, operator, village, year):
    f.ProposalFactory(village=village, status=Status.DRAFT, village_rank=1)
    text = as_user(operator).get(reverse("proposals:village_list")).content.decode()
    assert CLOSED not in text
    assert "Tambah usulan" in text and "Naikkan prioritas" in text and ">Ubah<" in text


@pytest.mark.parametrize("rows", [5, 40])
def test_the_closed_operator_list_costs_constant_queries(
    rows, as_user, operator, closed, village, django_assert_max_num_queries
):
    for rank in range(rows):
        f.ProposalFactory(village=village, status=Status.NOT_DISCUSSED, village_rank=100 + rank)
    client = as_user(operator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("proposals:village_list"))
    assert len(response.context["rows"]) == rows + 6
