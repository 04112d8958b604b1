"""The incoming list is kept per user under the year's marks (``render_cached``)."""

from django.urls import reverse

from proposals import services
from proposals.models import Status


def test_incoming_list_is_cached_until_a_proposal_moves(
    as_user, clerk, make_proposal, django_assert_max_num_queries
):
    proposal = make_proposal(Status.SUBMITTED, title="Saluran irigasi tersier")
    client = as_user(clerk)
    url = reverse("proposals:incoming")
    assert "Saluran irigasi tersier" in client.get(url).content.decode()
    # session, user, planning years, the marks: none of the list's own reads
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    services.proposal_receive(actor=clerk, proposal=proposal)
    html = client.get(url).content.decode()
    assert "Diterima" in html


def test_incoming_list_keys_by_filter_and_page(as_user, clerk, make_proposal):
    make_proposal(Status.SUBMITTED, title="Jalan usaha tani")
    client = as_user(clerk)
    url = reverse("proposals:incoming")
    assert "Jalan usaha tani" in client.get(url).content.decode()
    assert "Jalan usaha tani" not in client.get(url, {"q": "posyandu"}).content.decode()
    assert "Jalan usaha tani" in client.get(url).content.decode()


def test_a_bad_filter_shows_its_message_and_is_not_kept(as_user, clerk, make_proposal):
    make_proposal(Status.SUBMITTED)
    client = as_user(clerk)
    url = reverse("proposals:incoming")
    first = client.get(url, {"desa": "abc"}).content.decode()
    second = client.get(url, {"desa": "abc"}).content.decode()
    assert "alert" in first and "alert" in second  # each request reads and says it again
