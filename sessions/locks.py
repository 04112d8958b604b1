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
from proposals.locks import ensure_proposal_unlocked  # noqa: F401 - moved to proposals
from sessions.models import Forum


def ensure_unlocked(forum: Forum) -> None:
    """Raise ``Locked`` when the forum was sent."""
    if forum.is_locked:
        raise Locked()


def forum_of_proposal(proposal) -> Forum | None:
    """Return the forum that took a proposal in, if any."""
    item = getattr(proposal, "forum_item", None) if proposal.pk else None
    return item.forum if item is not None else None


def sent_forum_of_year(*, subdistrict_id: int, year: int) -> Forum | None:
    """Return the kecamatan's forum of the year once it was sent (the year is closed then)."""
    return Forum.objects.filter(
        subdistrict_id=subdistrict_id, year=year, state=Forum.State.SENT
    ).first()


# --- the ORM net ---------------------------------------------------------------------

FORUM_UPDATE_FIELDS_ALLOWED_AFTER_SENDING = frozenset(
    {"participant_count", "version", "attendance_version", "scores_version"}
)


def _sent_forums():
    return Forum.objects.filter(state=Forum.State.SENT)


def by_forum(instance) -> dict | None:
    """The filter of a row that has a ``forum`` foreign key (the default)."""
    forum_id = getattr(instance, "forum_id", None)
    return {"pk": forum_id} if forum_id is not None else None


def by_item(instance) -> dict | None:
    """The filter of a row that belongs to one forum item (a score, a result)."""
    return {"items__pk": instance.item_id} if instance.item_id else None


def by_proposal(instance) -> dict | None:
    """The filter of a proposal the forum took in."""
    return {"items__proposal_id": instance.pk} if instance.pk is not None else None


# model -> how to find the forum of one of its rows; filled by ``protect`` from each app's
# ``ready()`` (the forum's own models here, scoring's in ``ScoringConfig.ready``).
_LOOKUPS: dict[type, object] = {}


def forum_lookup(instance) -> dict | None:
    """Return the filter that finds the forum a protected row belongs to (None: no forum)."""
    return _LOOKUPS.get(type(instance), by_forum)(instance)


def _refuse_if_sent(lookup: dict | None) -> None:
    """One query: is the row's forum stored as sent?"""
    if lookup is not None and _sent_forums().filter(**lookup).exists():
        raise Locked()


def guard_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # loaddata of a fixture
        return
    if isinstance(instance, Forum):
        if instance.pk is None:
            return
        if update_fields and set(update_fields) <= FORUM_UPDATE_FIELDS_ALLOWED_AFTER_SENDING:
            return
        _refuse_if_sent({"pk": instance.pk})
        return
    _refuse_if_sent(forum_lookup(instance))


def guard_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Forum):
        _refuse_if_sent({"pk": instance.pk})
        return
    _refuse_if_sent(forum_lookup(instance))


def protect(model, lookup=by_forum) -> None:
    """Put ``model``'s rows under the lock of a sent forum (``lookup`` finds their forum).

    Layers above the forum (scoring) call this for their own models from ``ready()``, so the
    net's owner imports none of them.
    """
    _LOOKUPS[model] = lookup
    uid = f"forum-lock-{model._meta.label_lower}"
    pre_save.connect(guard_save, sender=model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"{uid}-delete")


def guarded_models() -> list:
    """Return the models whose rows the lock covers (every ``protect``ed model)."""
    return list(_LOOKUPS)


def connect() -> None:
    """Protect the forum's own models and the proposals it took in (``ForumConfig.ready``)."""
    from proposals.models import Proposal
    from sessions.models import AgendaItem, Commission, Delegate, ForumItem, Participant, TeamMember

    protect(Forum, lookup=lambda forum: {"pk": forum.pk})
    protect(Proposal, lookup=by_proposal)
    for model in (ForumItem, Commission, AgendaItem, Participant, Delegate, TeamMember):
        protect(model)


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
