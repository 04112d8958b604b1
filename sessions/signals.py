"""Signals of the forum.

``forum_sent`` is sent once, after the transaction that sent the forum to the OPDs committed
(``scoring.services.forum_send``), with ``forum`` and ``actor``. The reports app listens to it.
"""

from django.dispatch import Signal

forum_sent = Signal()
