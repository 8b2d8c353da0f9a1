"""Shared pieces of the REST API.

``exception_handler`` turns a Django ``ValidationError`` raised by a service (an
illegal state transition, a rule broken) into a 409 with a JSON body, field by
field where the error names fields, so the API and the pages refuse the same
things with the same words; a request that does not match the schema is a 400.
"""

from __future__ import annotations

import copy

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser, MultiPartParser

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


class LimitedMultiPartParser(MultiPartParser):
    """DRF's multipart parser with the free-text length limit (files are checked
    by ``cspr.uploads``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_long_text(result.data)
        return result


class RuleBroken(exceptions.APIException):
    """A well-formed request that a rule refuses given what is recorded (an illegal
    step, a locked record, dates that contradict each other): 409 with the messages by
    field, as a 400 has them. The services raise Django's ``ValidationError``."""

    status_code = 409
    default_detail = "This cannot be done to the record as it now is."
    default_code = "conflict"


def _codes(codes) -> list[str]:
    """Every error code of a DRF ``ValidationError.get_codes()``, flattened."""
    stack, found = [codes], []
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        else:
            found.append(str(item))
    return found


def _messages(detail, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [m for key, value in detail.items() for m in _messages(value, f"{key}: ")]
    if isinstance(detail, list):
        return [m for value in detail for m in _messages(value, prefix)]
    return [f"{prefix}{detail}"]


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A filter by the id of a related record: an id that does not exist, or that the
    user may not see, finds nothing (an empty list), as a filter by any other value
    would; never a 400."""

    field_class = forms.IntegerField


class FilterSet(django_filters.FilterSet):
    """The API's filter sets: a related record is filtered by its id (``IdFilter``);
    a filter given with no value is a 400 (the schema does not allow it), not ignored."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }

    def _parameter_names(self):
        """The query parameters of the filters that take no empty value (a text
        filter does: an empty text finds everything)."""
        for name, item in self.filters.items():
            if isinstance(item, django_filters.CharFilter):
                continue
            suffixes = getattr(item.field.widget, "suffixes", None)
            if suffixes:
                yield from (f"{name}_{suffix}" if suffix else name for suffix in suffixes)
            else:
                yield name

    def is_valid(self):
        empty = {
            name: ["Enter a value, or leave this filter out."]
            for name in self._parameter_names()
            if name in self.data and any(value == "" for value in self.data.getlist(name))
        }
        if empty:
            raise exceptions.ValidationError(empty)
        return super().is_valid()


class FileUploadParsersMixin:
    """A viewset whose ``UPLOAD_ACTIONS`` upload a file: those take a multipart body
    (and only that), every other operation JSON, so each operation has one body type
    (as generated clients expect)."""

    UPLOAD_ACTIONS: tuple[str, ...] = ()

    def get_parsers(self):
        action = getattr(self, "action", None)
        if action is None and getattr(self, "request", None) is not None:
            action = getattr(self, "action_map", {}).get(self.request.method.lower())
        if action in self.UPLOAD_ACTIONS:
            return [LimitedMultiPartParser()]
        return super().get_parsers()


def exception_handler(exc, context):
    """DRF's handler, with: a rule refused by a service (Django's ``ValidationError``)
    409, field by field; a body naming a record that does not exist (or that the user
    may not see) 404, as the same id in the address would be; Django's
    ``PermissionDenied`` 403."""
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
        exc = RuleBroken(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, exceptions.ValidationError) and set(_codes(exc.get_codes())) == {"does_not_exist"}:
        exc = exceptions.NotFound("No such record: " + " ".join(_messages(exc.detail)))
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES (this module's
    # parser) as it loads, so importing it above would make the two circular.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


# ---------------------------------------------------------------------------
# The OpenAPI schema: error responses, tags, blank choices
# ---------------------------------------------------------------------------

_ERROR_SCHEMAS = {
    "ValidationErrors": {
        "description": "The messages by field name (non_field_errors for the whole "
        "request, detail for a body that could not be read), in plain English; nothing was saved.",
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
    "400": (
        "ValidationErrors",
        "The request does not match this schema (a field missing, of the wrong type, "
        "too long, not one of the choices; a filter or page that is not valid).",
    ),
    "401": ("Detail", "No valid credentials: send `Authorization: Token <your token>`."),
    "403": ("Detail", "Your role in the partnership does not allow this (the reason is given)."),
    "404": (
        "Detail",
        "No such record among those you may see (in the address or named in the body), or no such page.",
    ),
    "409": (
        "ValidationErrors",
        "Refused by a rule, given what is recorded (an illegal step, a locked record, "
        "dates out of order): the messages by field; nothing was saved.",
    ),
    "415": ("Detail", "The body is not of the documented media type."),
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents each error the
    API can answer it with, and its body: 401 and 403 always; 400 for a body or query
    parameters; 404 for anything addressed by id, a body that names a record, and a
    page past the end; 409 for a write (a rule refused it); 415 for a body."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _ERROR_SCHEMAS.items():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            has_body = "requestBody" in operation
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            codes = ["401", "403"]
            if has_body or has_query:
                codes.append("400")
            if "{" in path or has_body or has_query:
                codes.append("404")
            if method in ("post", "put", "patch", "delete"):
                codes.append("409")
            if has_body:
                codes.append("415")
            for code in sorted(codes):
                name, description = _ERROR_RESPONSES[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    },
                )
            operation["responses"] = dict(sorted(operation["responses"].items()))
    return result


#: The kinds of document an upload may be (``cspr.uploads.check_document``).
DOCUMENT_MEDIA_TYPES = ", ".join(
    [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    ]
)


def document_multipart_bodies(result, generator, request, public):
    """drf-spectacular postprocessing hook: a multipart body (an upload) names the
    kinds of document its file may be (``encoding``), and none of its fields is
    ``nullable`` (a form part cannot be null: leave the field out instead)."""
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if not body:
                continue
            ref = body.get("schema", {}).get("$ref", "")
            component = schemas.get(ref.rsplit("/", 1)[-1], body.get("schema", {}))
            for name, prop in component.get("properties", {}).items():
                prop.pop("nullable", None)
                if prop.get("format") == "binary":
                    body.setdefault("encoding", {})[name] = {"contentType": DOCUMENT_MEDIA_TYPES}
    return result


#: An address Django's ``URLValidator`` accepts, as a pattern (http or https, a host
#: name with a top-level domain, no spaces).
URL_PATTERN = r"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(/[!-~]*)?$"


class URLsDjangoAccepts(OpenApiSerializerFieldExtension):
    """A URL field of a request body documents the addresses the server accepts
    (``URL_PATTERN``), not every URI: ``mailto:x`` is a URI but not a web address."""

    target_class = "rest_framework.fields.URLField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["pattern"] = f"^$|{URL_PATTERN}" if self.target.allow_blank else URL_PATTERN
        return schema


class Pagination(PageNumberPagination):
    """DRF's page numbers, documented as what they are (whole numbers from 1); an
    empty or out-of-range page is a 404 ("Invalid page.")."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound(self.invalid_page_message.format(page_number="", message="empty"))
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class BlankChoicesOfTheModel(OpenApiSerializerFieldExtension):
    """A read-only choice field of a model field that may be blank answers ``""``; DRF
    drops ``allow_blank`` from read-only fields, so the schema would leave the blank
    value out of the enum. Put it back (drf-spectacular then documents it as
    ``BlankEnum``), so that the schema allows what the API returns."""

    target_class = "rest_framework.fields.ChoiceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if (
            not field.allow_blank
            and not isinstance(field, serializers.MultipleChoiceField)
            and _model_field_may_be_blank(field)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        return auto_schema._map_serializer_field(field, direction, bypass_extensions=True)


def _model_field_may_be_blank(field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", None) or field.field_name
    if model is None or not source or "." in source:
        return False
    try:
        return bool(model._meta.get_field(source).blank)
    except FieldDoesNotExist:
        return False


#: Text may hold any character but the null character (DRF refuses it; PostgreSQL
#: cannot store it).
NO_NULL_CHARACTERS = "^[^\\u0000]*$"
#: Text that may not be left blank holds a character that is not white space: the
#: parsers trim what Python counts as white space (the separators U+001C to U+001F
#: too), so a value of white space alone is blank.
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def document_text_limits(result, generator, request, public):
    """drf-spectacular postprocessing hook: every free-text property of a request
    body without a limit of its own documents the one the parsers apply
    (``LONG_TEXT_MAX_LENGTH``), and that it may not hold the null character."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            continue
        for prop in schema.get("properties", {}).values():
            if prop.get("type") != "string" or "format" in prop or "enum" in prop:
                continue
            if "maxLength" not in prop:
                prop["maxLength"] = LONG_TEXT_MAX_LENGTH
            if "pattern" not in prop:
                prop["pattern"] = NOT_BLANK if prop.get("minLength", 0) >= 1 else NO_NULL_CHARACTERS
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
