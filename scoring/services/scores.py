"""Scorers and scores: one cell at a time, safe under concurrent saves."""

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value

from musrenbang.exceptions import DomainError
from musrenbang.models import Role, User
from musrenbang.rulebook import authorize
from scoring.models import Criterion, Score, Scorer
from scoring.services._common import Action, forum_action, share_forum
from sessions import versions
from sessions.models import Forum, ForumItem

# --- Scorers and scores -----------------------------------------------------------------


def scorer_ids(*, forum: Forum) -> list[int]:
    """Return the users whose sheets count: the camat (single mode) or registered scorers."""
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        return list(forum.scorers.order_by("user_id").values_list("user_id", flat=True))
    return list(
        User.objects.filter(
            role=Role.CAMAT, subdistrict_id=forum.subdistrict_id, is_active=True
        ).values_list("pk", flat=True)
    )


def can_score(*, forum: Forum, user: User) -> bool:
    """Return True when ``user`` has a scoring sheet in this forum."""
    if forum.scoring_mode == Forum.ScoringMode.MULTIPLE:
        return forum.scorers.filter(user=user).exists()
    return user.role == Role.CAMAT and user.subdistrict_id == forum.subdistrict_id


MANAGE_SCORERS = "scoring.manage_scorers"


def scorer_add(*, forum: Forum, user: User, actor: User) -> Scorer:
    """Register a kecamatan user as a scorer (multiple mode)."""
    with forum_action(actor=actor, forum=forum, perm=MANAGE_SCORERS, action=Action.SCORER) as step:
        forum = step.forum
        if user.subdistrict_id != forum.subdistrict_id or user.role not in (
            Role.CAMAT,
            Role.STAFF,
        ):
            raise DomainError("Penilai harus pengguna kecamatan ini.")
        scorer, created = Scorer.objects.get_or_create(forum=forum, user=user)
        if created:
            step.say(f"Penilai ditambah: {user.get_full_name() or user.username}.")
    return scorer


def scorer_remove(*, scorer: Scorer, actor: User) -> None:
    """Remove a scorer who has not scored yet."""
    forum = scorer.forum
    with forum_action(actor=actor, forum=forum, perm=MANAGE_SCORERS, action=Action.SCORER) as step:
        if Score.objects.filter(criterion__forum=step.forum, scorer_id=scorer.user_id).exists():
            raise DomainError("Penilai ini sudah memberi nilai; tidak dapat dihapus.")
        name = scorer.user.get_full_name() or scorer.user.username
        scorer.delete()
        step.say(f"Penilai dihapus: {name}.")


def score_save(*, item: ForumItem, criterion: Criterion, scorer: User, value: int | None) -> Score:
    """Save one cell of a scorer's sheet (insert or update on the unique key).

    One ``INSERT ... ON CONFLICT DO UPDATE`` on the unique key (item, criterion, scorer): two
    scorers saving at once lose nothing, and one scorer saving twice keeps one row. The forum
    row is read ``FOR SHARE``: scorers do not wait for each other, but "Kirim ke OPD" (``FOR
    UPDATE``) waits for a save in flight and a save waits for a sending in flight. No audit
    row: the score's own history (``Score.history``) records every cell.
    """
    with transaction.atomic():
        forum = share_forum(item.forum)
        authorize(scorer, "scoring.score", forum)
        if criterion.forum_id != forum.pk:
            raise DomainError("Kriteria bukan milik forum ini.")
        if value is None or not criterion.scale_min <= value <= criterion.scale_max:
            raise DomainError(
                f"Nilai harus bilangan bulat {criterion.scale_min}–{criterion.scale_max}."
            )
        score = _upsert(item=item, criterion=criterion, scorer=scorer, value=value)
        # After commit, not inside: scorers hold the forum row FOR SHARE, and two of them
        # bumping it inside their transactions would deadlock each other.
        transaction.on_commit(lambda: versions.bump(versions.SCORES, pk=forum.pk))
        return score


def _upsert(*, item: ForumItem, criterion: Criterion, scorer: User, value: int) -> Score:
    """INSERT ... ON CONFLICT (item, criterion, scorer) DO UPDATE, plus its history row."""
    (score,) = Score.objects.bulk_create(
        [Score(item=item, criterion=criterion, scorer=scorer, value=value)],
        update_conflicts=True,
        unique_fields=["item", "criterion", "scorer"],
        update_fields=["value", "updated_at"],
    )
    Score.history.model.objects.create(
        id=score.pk,
        item_id=item.pk,
        criterion_id=criterion.pk,
        scorer_id=scorer.pk,
        value=value,
        updated_at=score.updated_at,
        history_date=score.updated_at,
        history_type="~",
        history_user=scorer,
    )
    return score


def progress(*, forum: Forum, user: User | None = None) -> dict:
    """Return scored and total cells (of one scorer's sheet, or of every sheet), in one query."""
    if user is not None:
        ids, sheets = [user.pk], 1
    else:
        ids = scorer_ids(forum=forum)
        sheets = max(len(ids), 1) if forum.scoring_mode == Forum.ScoringMode.MULTIPLE else 1
    counts = Forum.objects.filter(pk=forum.pk).annotate(
        n_items=_count(ForumItem.objects.filter(forum=OuterRef("pk"))),
        n_criteria=_count(Criterion.objects.filter(forum=OuterRef("pk"))),
        n_scores=_count(Score.objects.filter(criterion__forum=OuterRef("pk"), scorer_id__in=ids)),
    )
    n_items, n_criteria, done = counts.values_list("n_items", "n_criteria", "n_scores").get()
    total = n_items * n_criteria * sheets
    return {"done": done, "total": total, "complete": total > 0 and done >= total}


def _count(queryset) -> Subquery:
    """Return ``SELECT COUNT(*)`` of a queryset as a scalar subquery."""
    return Subquery(queryset.order_by().values(_g=Value(1)).annotate(n=Count("*")).values("n")[:1])
