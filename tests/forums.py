"""The one way tests reach a sent forum: through the services, as the camat does it.

``send(forum)`` starts a forum still in preparation (``forum_start``), gives every item
without a decision a computed reserve decision, and sends it with ``forum_send`` (the forum's
one transition, the audit row, the year's other proposals closed). The builders of the apps'
tests (``tests.sessions.factories.sent``, ``tests.scoring.factories.sent_forum``,
``tests.reports.factories.sent_forum``, the security ``world``) build their data while the
forum is open and finish with ``send``.
"""

from django.utils import timezone

from musrenbang.models import Role, User
from scoring import services as scoring_services
from scoring.models import Result
from sessions import services as forum_services
from sessions.models import Forum
from tests import factories as f


def camat_of(subdistrict) -> User:
    """Return the camat of the kecamatan (a new one when the test has none yet)."""
    camat = User.objects.filter(role=Role.CAMAT, subdistrict=subdistrict).order_by("pk").first()
    return camat or f.UserFactory(
        username=f"camat.{subdistrict.code}", role=Role.CAMAT, subdistrict=subdistrict
    )


def send(forum: Forum, *, actor: User | None = None, sent_at=None) -> Forum:
    """Send ``forum`` through "Kirim ke OPD" and return it fresh.

    ``sent_at`` moves the sending into the past afterwards (a queryset update: time travel
    for follow-up dates, not a second way to send).
    """
    actor = actor or camat_of(forum.subdistrict)
    forum.refresh_from_db()
    if forum.state == Forum.State.PREPARATION:
        forum_services.forum_start(actor=actor, forum=forum)
    _decide_the_rest(forum)
    assert scoring_services.forum_send(forum=forum, actor=actor) is True
    if sent_at is not None:
        Forum.objects.filter(pk=forum.pk).update(sent_at=sent_at)
    forum.refresh_from_db()
    return forum


def _decide_the_rest(forum: Forum) -> None:
    """Give undecided items a reserve decision and mark every result computed now (after
    the last score), so that the sending finds nothing missing. A forum without proposals
    gets one (a forum with nothing to send cannot be sent)."""
    if not forum.items.exists():
        f.ForumItemFactory(forum=forum)
    rank = Result.objects.filter(item__forum=forum).count()
    for item in forum.items.filter(result__isnull=True).order_by("pk"):
        rank += 1
        Result.objects.create(
            item=item,
            rank=rank,
            computed_rank=rank,
            total=0,
            decision=Result.Decision.RESERVE,
            reason="Tidak masuk pagu indikatif (data uji).",
        )
    Result.objects.filter(item__forum=forum).update(computed_at=timezone.now())
