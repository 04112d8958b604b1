"""Errors raised by services, with a message in Indonesian fit to show the user."""


class DomainError(Exception):
    """A rule of the domain refused an action; ``str(error)`` is the Indonesian message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Locked(DomainError):
    """The data belongs to a forum that was sent to the OPDs: nothing may change."""

    def __init__(self, message: str = "Forum sudah dikirim ke OPD; data tidak dapat diubah lagi."):
        super().__init__(message)
