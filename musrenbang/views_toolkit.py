"""What every app's views share: run a service and say how it went, send a workbook.

``run`` is the one try / ``DomainError`` / message block of the action views::

    if run(request, services.criterion_remove, "Kriteria dihapus.", criterion=criterion):
        ...

``xlsx_response`` is the one way a view sends an Excel download.
"""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from musrenbang.exceptions import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERROR_LINES = 30


def show_error(request: HttpRequest, error: DomainError) -> None:
    """Show a refusal as a message, with its first lines of detail (an import's rows)."""
    messages.error(request, str(error))
    for line in getattr(error, "errors", [])[:MAX_ERROR_LINES]:
        messages.error(request, str(line))


def show_form_errors(request: HttpRequest, form) -> None:
    """Show each refused field of a bound form as one message (its first error)."""
    for errors in form.errors.values():
        messages.error(request, errors[0])


def run(
    request: HttpRequest,
    service: Callable,
    success: str | Callable[[Any], str] | None = None,
    **kwargs,
):
    """Call ``service(actor=request.user, **kwargs)``; show its refusal or ``success``.

    ``success`` may be a function of the service's result (``lambda n: f"{n} diperingkat"``).
    Return the service's result (True when it returns nothing), or None when it refused.
    """
    try:
        result = service(actor=request.user, **kwargs)
    except DomainError as error:
        show_error(request, error)
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True if result is None else result


def xlsx_response(workbook, filename: str) -> HttpResponse:
    """Return an Excel download of ``workbook`` (an openpyxl workbook or its bytes)."""
    if hasattr(workbook, "save"):
        buffer = BytesIO()
        workbook.save(buffer)
        workbook = buffer.getvalue()
    if not filename.endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
