"""The lock of a sent forum, in one place: services, the ORM net and the admin.

After "Kirim ke OPD" the forum and everything in it (proposals, scores, decisions, attendance,
delegates) is locked:

- services refuse first with a clear message: their rule's phase (``sessions.rules``,
  ``Locked`` for a sent forum) through ``sessions.workflow.forum_action``, or
  ``ensure_unlocked`` / ``ensure_proposal_unlocked`` for the proposals' paths;
- the ORM net (``pre_save`` / ``pre_delete`` receivers, ``connect``) catches every other
  path (a shell, a forgotten admin, a script) by raising ``Locked``. The state is read from
  the database, not from the instance in memory, so the save that sends the forum passes
  (the stored state is still "berlangsung"), and a Forum save with ``update_fields`` within
  {"participant_count", "version"} passes: the camat may correct the participant count of
  the Berita Acara after sending. Bulk paths (``QuerySet.update``, ``bulk_create``,
  ``bulk_update``) send no signals; the services that use them hold the forum's row lock and
  rule first;
- ``ForumLockAdminMixin`` shows a sent forum's rows read-only in the admin.
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save

from musrenbang.exceptions import Locked
from sessions.models import Forum


def ensure_unlocked(forum: Forum) -> None:
    """Raise ``Locked`` when the forum was sent."""
    if forum.is_locked:
        raise Locked()


def forum_of_proposal(proposal) -> Forum | None:
    """Return the forum that took a proposal in, if any."""
    item = getattr(proposal, "forum_item", None) if proposal.pk else None
    return item.forum if item is not None else None


def ensure_proposal_unlocked(proposal) -> None:
    """Raise ``Locked`` when a proposal belongs to a sent forum.

    Also refuses proposals of a kecamatan and year whose forum was sent, even if the proposal
    never entered the forum (the year's intake is closed then).
    """
    forum = forum_of_proposal(proposal)
    if forum is None and proposal.subdistrict_id:
        forum = sent_forum_of_year(subdistrict_id=proposal.subdistrict_id, year=proposal.year)
    if forum is not None:
        ensure_unlocked(forum)


def sent_forum_of_year(*, subdistrict_id: int, year: int) -> Forum | None:
    """Return the kecamatan's forum of the year once it was sent (the year is closed then)."""
    return Forum.objects.filter(
        subdistrict_id=subdistrict_id, year=year, state=Forum.State.SENT
    ).first()


# --- the ORM net ---------------------------------------------------------------------

FORUM_UPDATE_FIELDS_ALLOWED_AFTER_SENDING = frozenset({"participant_count", "version"})


def _sent_forums():
    return Forum.objects.filter(state=Forum.State.SENT)


def _forum_lookup(instance) -> dict | None:
    """Return the filter that finds the forum a row belongs to (None: no forum)."""
    from proposals.models import Proposal
    from scoring.models import Result, Score

    if isinstance(instance, Proposal):
        return {"items__proposal_id": instance.pk} if instance.pk is not None else None
    if isinstance(instance, Score | Result):
        return {"items__pk": instance.item_id} if instance.item_id else None
    forum_id = getattr(instance, "forum_id", None)
    return {"pk": forum_id} if forum_id is not None else None


def _refuse_if_sent(lookup: dict | None) -> None:
    """One query: is the row's forum stored as sent?"""
    if lookup is not None and _sent_forums().filter(**lookup).exists():
        raise Locked()


def guard_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    from sessions.models import Forum

    if raw:  # loaddata of a fixture
        return
    if isinstance(instance, Forum):
        if instance.pk is None:
            return
        if update_fields and set(update_fields) <= FORUM_UPDATE_FIELDS_ALLOWED_AFTER_SENDING:
            return
        _refuse_if_sent({"pk": instance.pk})
        return
    _refuse_if_sent(_forum_lookup(instance))


def guard_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Forum):
        _refuse_if_sent({"pk": instance.pk})
        return
    _refuse_if_sent(_forum_lookup(instance))


def guarded_models() -> list:
    """Return the models whose rows belong to a forum (the lock covers them)."""
    from proposals.models import Proposal
    from scoring.models import Criterion, Result, Score, Scorer
    from sessions.models import AgendaItem, Commission, Delegate, ForumItem, Participant, TeamMember

    return [
        Proposal,
        ForumItem,
        Commission,
        AgendaItem,
        Participant,
        Delegate,
        TeamMember,
        Criterion,
        Score,
        Result,
        Scorer,
        Forum,
    ]


def connect() -> None:
    """Connect the receivers (called once from ``ScoringConfig.ready``, when every model of
    the net is loaded)."""
    for model in guarded_models():
        uid = f"forum-lock-{model._meta.label_lower}"
        pre_save.connect(guard_save, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"{uid}-delete")


# --- the admin -------------------------------------------------------------------------


class ForumLockAdminMixin:
    """Make rows of a sent forum read-only in the admin (change and delete refused).

    ``forum_path`` is the attribute path from the row to its ``Forum`` (``"forum"``,
    ``"item__forum"``, ``"forum_item__forum"``).
    """

    forum_path = "forum"

    def _forum_of(self, obj):
        value = obj
        for part in self.forum_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def _locked(self, obj) -> bool:
        forum = self._forum_of(obj) if obj is not None else None
        return bool(forum is not None and forum.is_locked)

    def has_change_permission(self, request, obj=None) -> bool:
        if self._locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if self._locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        model = db_field.remote_field.model
        if field is not None and model._meta.label == "forum.Forum":
            field.queryset = field.queryset.exclude(state="terkirim")
        elif field is not None and any(f.name == "forum" for f in model._meta.get_fields()):
            field.queryset = field.queryset.exclude(forum__state="terkirim")
        return field

    def save_model(self, request, obj, form, change) -> None:
        from musrenbang.exceptions import DomainError

        try:
            super().save_model(request, obj, form, change)
        except DomainError as error:  # the lock (the ORM net above) or another domain rule
            raise PermissionDenied(str(error))

    def delete_model(self, request, obj) -> None:
        from musrenbang.exceptions import DomainError

        try:
            super().delete_model(request, obj)
        except DomainError as error:
            raise PermissionDenied(str(error))
