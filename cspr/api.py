"""Shared pieces of the REST API.

``exception_handler`` turns a Django ``ValidationError`` raised by a service (an
illegal state transition, a rule broken) into a 400 with a JSON body, field by
field where the error names fields, so the API and the pages refuse the same
things with the same words.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from .deadlines import Lateness, lateness
from .workdays import current_calendar


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (field if field != "__all__" else "non_field_errors"): [
                    message for error in errors for message in error.messages
                ]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


# ---------------------------------------------------------------------------
# The error responses, in the OpenAPI schema of every operation
# ---------------------------------------------------------------------------

_ERROR_SCHEMAS = {
    "ValidationErrors": {
        "description": "Bad input or a rule broken: the messages by field name "
        "(non_field_errors for the whole request), in plain English; nothing was saved.",
        "oneOf": [
            {"type": "object", "additionalProperties": {}},
            {"type": "array", "items": {"type": "string"}},
        ],
    },
    "Detail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
}
_ERROR_RESPONSES = {
    "400": ("ValidationErrors", "Bad input or a rule broken (an illegal step, a locked record)."),
    "403": ("Detail", "Not signed in, or your role in the partnership does not allow this "
            "(the reason is given)."),
    "404": ("Detail", "No such record among those you may see."),
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors the
    API answers with (400 for what changes something, 403, and 404 for anything
    addressed by id), so API users know the error body before they meet it. (With
    session authentication first, DRF answers 403, never 401, to a request without
    valid credentials.)"""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _ERROR_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["403"]
            if method in ("post", "put", "patch", "delete"):
                codes.insert(0, "400")
            if "{" in path:
                codes.append("404")
            for code in codes:
                name, description = _ERROR_RESPONSES[code]
                operation["responses"].setdefault(code, {
                    "description": description,
                    "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{name}"}
                    }},
                })
    return result


def validated(serializer_class, data, **kwargs) -> dict:
    """``data`` (a request body) checked by ``serializer_class``: its validated data, or
    a 400 with the messages by field (DRF's ``is_valid(raise_exception=True)``)."""
    body = serializer_class(data=data, **kwargs)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class LatenessFieldsMixin(serializers.Serializer):
    """``met_late`` and ``working_days_late`` on a serializer of ``Deadline`` rows, from
    ``cspr.deadlines.lateness`` (the one place lateness is worked out). The working-day
    calendar comes from the context (``calendar``) or is read once per serializer tree."""

    met_late = serializers.SerializerMethodField()
    working_days_late = serializers.SerializerMethodField()

    def _lateness(self, deadline) -> Lateness:
        if deadline.status != "met" or not deadline.met_on or deadline.met_on <= deadline.due_date:
            return lateness(deadline)  # not met late: no calendar needed
        context = self.context
        calendar = context.get("calendar")
        if calendar is None:
            calendar = current_calendar()
            if isinstance(context, dict):
                context["calendar"] = calendar
        return lateness(deadline, calendar)

    def get_met_late(self, deadline) -> bool:
        return self._lateness(deadline).met_late

    def get_working_days_late(self, deadline) -> int | None:
        return self._lateness(deadline).working_days_late
