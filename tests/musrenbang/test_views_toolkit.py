"""The view toolkit: ``run`` shows a service's refusal or success, ``xlsx_response`` sends a
workbook."""

from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from openpyxl import Workbook, load_workbook

from musrenbang.exceptions import DomainError
from musrenbang.views_toolkit import XLSX, run, xlsx_response


@pytest.fixture
def request_with_messages():
    request = RequestFactory().post("/")
    request.user = object()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_run_calls_the_service_as_the_user_and_shows_the_success(request_with_messages):
    calls = []

    def service(*, actor, forum):
        calls.append((actor, forum))
        return 3

    result = run(request_with_messages, service, lambda n: f"{n} dimuat.", forum="F")
    assert result == 3
    assert calls == [(request_with_messages.user, "F")]
    assert _messages(request_with_messages) == [("success", "3 dimuat.")]


def test_run_returns_true_when_the_service_returns_nothing(request_with_messages):
    assert run(request_with_messages, lambda *, actor: None, "Disimpan.") is True


def test_run_keeps_a_false_result_apart_from_a_refusal(request_with_messages):
    assert run(request_with_messages, lambda *, actor: False) is False
    assert _messages(request_with_messages) == []


def test_run_shows_the_refusal_and_its_lines_and_returns_none(request_with_messages):
    error = DomainError("Berkas ditolak.")
    error.errors = [f"Baris {n}: kosong" for n in range(1, 41)]

    def service(*, actor):
        raise error

    assert run(request_with_messages, service, "Tidak terlihat.") is None
    shown = _messages(request_with_messages)
    assert shown[0] == ("error", "Berkas ditolak.")
    assert len(shown) == 31 and all(level == "error" for level, _ in shown)
    assert ("success", "Tidak terlihat.") not in shown


def test_run_lets_other_errors_through(request_with_messages):
    def service(*, actor):
        raise ValueError("bug")

    with pytest.raises(ValueError):
        run(request_with_messages, service)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_xlsx_response_sends_a_workbook_or_its_bytes(as_bytes):
    workbook = Workbook()
    workbook.active["A1"] = "Usulan"
    content = workbook
    if as_bytes:
        buffer = BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    response = xlsx_response(content, "rekap-2027")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="rekap-2027.xlsx"'
    assert load_workbook(BytesIO(response.content)).active["A1"].value == "Usulan"


def test_xlsx_response_keeps_a_name_that_has_its_extension():
    response = xlsx_response(Workbook(), "hasil.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="hasil.xlsx"'
