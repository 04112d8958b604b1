"""The forum's version: one counter, bumped by every write that changes a page of the forum.

Public and projector pages answer a poll with ``304 Not Modified`` while the version (and the
proposal's own change mark on ``/lacak/``) is unchanged, and fragments that are the same for
everyone allowed to see them are cached under it (``musrenbang.caching``). A counter in the
database, not a per-process value, so the key is right on any number of app servers.

Two kinds of write move counters of their own: the attendance (``attendance_version``: the
rows of participants and the audit entries of the door) and the scores (``scores_version``:
each saved cell). A page is keyed on the counters of what it shows: the public tracking page
``/lacak/`` on ``version`` alone (citizens' polls stay "not modified" through a busy door and
scoring), the forum home, the projector and the door's counts without the scores, the ranking
without the attendance (``unread`` / ``reads`` where they are keyed; its rows, which show the
last Hitung, on ``version`` alone), every other page and document on all three
(``Forum.versions``, or the whole forum row).

Where it is bumped (one place per kind of write):

- ``Forum.save()`` writes ``version = version + 1`` in its own UPDATE;
- ``post_save`` / ``post_delete`` of every row of a forum (the models of the lock's ORM net,
  ``sessions.locks.guarded_models``) bump the forum the row belongs to;
- the audit entry ``ForumEvent``: every service writes one, so the bulk
  paths (``bulk_create``, ``QuerySet.update``), which send no row signals, bump through them.

The UPDATE runs inside the writing transaction: readers see the new rows and the new version
together.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save

VERSION, ATTENDANCE, SCORES = "version", "attendance_version", "scores_version"


def bump(counter: str = VERSION, **lookup) -> None:
    """Bump ``counter`` of the forum(s) matching ``lookup`` (one UPDATE)."""
    from sessions.models import Forum

    Forum.objects.filter(**lookup).update(**{counter: F(counter) + 1})


def counter_of(instance) -> str:
    """The counter a written row moves: the door's rows their own, everything else ``version``."""
    from sessions.models import ForumEvent, Participant

    if isinstance(instance, Participant):
        return ATTENDANCE
    if isinstance(instance, ForumEvent) and instance.action == ForumEvent.Action.ATTENDANCE:
        return ATTENDANCE
    return VERSION


def _row_changed(sender, instance, raw=False, **kwargs) -> None:
    from sessions.locks import forum_lookup

    if raw:
        return
    lookup = forum_lookup(instance)
    if lookup is not None:
        bump(counter_of(instance), **lookup)


def versioned_models() -> list:
    from sessions.locks import guarded_models
    from sessions.models import Forum, ForumEvent

    rows = [m for m in guarded_models() if m is not Forum]  # Forum bumps itself in save()
    return [*rows, ForumEvent]


def connect() -> None:
    """Connect the receivers (called once from ``ScoringConfig.ready``, beside the lock's)."""
    for model in versioned_models():
        uid = f"forum-version-{model._meta.label_lower}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"{uid}-delete")


ALL = (VERSION, ATTENDANCE, SCORES)
SHOWN_WITHOUT_SCORES = (VERSION, ATTENDANCE)  # the projector and the door's counts


def poll_marks(name: str, forum, reads: tuple[str, ...] = ALL) -> tuple:
    """Return the marks of a polled page of ``forum`` (its ETag is signed over them): the
    counters ``reads`` of what the page shows."""
    return (name, forum.pk, *(getattr(forum, counter) for counter in reads))


def poll_marks_reader(name: str, reads: tuple[str, ...] = ALL):
    """Return the reader ``PollMiddleware`` calls with the URL's ``pk``: the same marks as
    ``poll_marks``, in one query (None when the forum does not exist)."""
    from django.db import connection

    from sessions.models import Forum

    assert set(reads) <= set(ALL)  # column names, never input
    table = Forum._meta.db_table
    sql = f"SELECT {', '.join(reads)} FROM {table} WHERE id = %s"  # noqa: S608 - see above

    def read(pk: int, **kwargs) -> tuple | None:
        with connection.cursor() as cursor:  # SQL, not the ORM: this runs on every poll
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        return None if row is None else (name, pk, *row)

    return read
