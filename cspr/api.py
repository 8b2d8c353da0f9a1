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
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.views import exception_handler as drf_exception_handler

from .deadlines import Lateness, lateness
from .forms import LONG_TEXT_MAX_LENGTH, LONG_TEXT_TOO_LONG
from .workdays import calendar_for

#: How deep a JSON request body may nest (objects and arrays). No operation needs
#: more than a few levels; a body nested thousands deep is refused before it is used.
MAX_JSON_DEPTH = 20


def _depth_exceeds(value, limit: int) -> bool:
    """Whether ``value`` (parsed JSON) nests deeper than ``limit``, without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def refuse_long_text(data) -> None:
    """A 400 naming every field of a request body (JSON or form) that holds text
    longer than ``LONG_TEXT_MAX_LENGTH``, the limit of every free-text field without
    a shorter one of its own (which its serializer checks)."""
    too_long = {}
    items = data.lists() if hasattr(data, "lists") else data.items()
    for name, value in items:
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str) and len(item) > LONG_TEXT_MAX_LENGTH:
                too_long[name] = [
                    LONG_TEXT_TOO_LONG % {"limit_value": LONG_TEXT_MAX_LENGTH, "show_value": len(item)}
                ]
                break
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    if too_long:
        raise exceptions.ValidationError(too_long)


class JSONObjectParser(JSONParser):
    """DRF's JSON parser for request bodies that must be one JSON object (every
    operation of the API takes named fields): a body that is an array, a string, a
    number or null, or that nests deeper than ``MAX_JSON_DEPTH``, is a 400 with a
    message, never a 500 further down."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            ) from None
        if not isinstance(data, dict):
            raise exceptions.ParseError(
                'The request body must be a JSON object of named fields, like {"name": "..."}.'
            )
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(
                f"The request body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            )
        refuse_long_text(data)
        return data


class LimitedFormParser(FormParser):
    """DRF's form parser with the free-text length limit of the JSON one."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_long_text(data)
        return data


class LimitedMultiPartParser(MultiPartParser):
    """DRF's multipart parser with the free-text length limit (files are checked
    by ``cspr.uploads``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_long_text(result.data)
        return result


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
    "403": (
        "Detail",
        "Not signed in, or your role in the partnership does not allow this (the reason is given).",
    ),
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
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    },
                )
    return result


def document_text_limits(result, generator, request, public):
    """drf-spectacular postprocessing hook: every free-text property of a request
    body without a limit of its own documents the one the parsers apply
    (``LONG_TEXT_MAX_LENGTH``)."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            continue
        for prop in schema.get("properties", {}).values():
            if (
                prop.get("type") == "string"
                and "maxLength" not in prop
                and "format" not in prop
                and "enum" not in prop
            ):
                prop["maxLength"] = LONG_TEXT_MAX_LENGTH
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
            calendar = calendar_for(context.get("request"))
            if isinstance(context, dict):
                context["calendar"] = calendar
        return lateness(deadline, calendar)

    def get_met_late(self, deadline) -> bool:
        return self._lateness(deadline).met_late

    def get_working_days_late(self, deadline) -> int | None:
        return self._lateness(deadline).working_days_late
