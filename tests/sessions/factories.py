"""Factories and helpers of the forum tests (building on ``tests.factories``)."""

import factory
from django.utils import timezone

from sessions.models import AgendaItem, Forum
from tests.factories import ForumFactory, ParticipantFactory, record_year_closed  # noqa: F401


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    forum = factory.SubFactory(ForumFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Acara {n}")
    planned_minutes = 30


def running(forum: Forum) -> Forum:
    """Put a forum in the running state directly (the start itself is tested separately)."""
    forum.state = Forum.State.RUNNING
    forum.started_at = timezone.now()
    forum.save()
    return forum


def sent(forum: Forum) -> Forum:
    """Send the forum through the services (``tests.forums.send``)."""
    from tests.forums import send

    return send(forum)


def present(forum: Forum, count: int, **kwargs) -> list:
    return ParticipantFactory.create_batch(count, forum=forum, present_at=timezone.now(), **kwargs)
