"""Every URL pattern of the project, web and API, requested by people who must not
see its data: anonymously, as a business manager of ANOTHER partnership, and as a
practitioner of the same partnership. Each gets a redirect to sign in, 401, 403,
404 or 405, never the data.

The test discovers the patterns (django.urls.get_resolver(), recursively), so a
new URL is covered without editing it. Path parameters are filled with real
objects of the Northshire partnership made by `seed_demo` (the kernel's and each
pipeline app's demo.seed): the model is found from the view (DRF viewset
queryset or serializer, a class-based view's model) or from the parameter's or
URL's name. A parameter it cannot fill makes the test fail, naming the pattern,
so nothing is skipped silently.
"""

from __future__ import annotations

import fnmatch
import re
from collections import deque
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from cspr.models import Partnership
from tests.factories import log_in

pytestmark = pytest.mark.django_db

# Reachable by anyone, signed in or not (path prefixes). Each is public by design.
PUBLIC_PATHS = {
    "/accounts/login/",  # the sign-in page
    "/admin/login/",  # the admin's sign-in page
    "/health/",  # the load balancer's liveness check: {"status": "ok"} only
    "/api/schema/",  # the OpenAPI description of the API: no data
    "/published/",  # published reviews, their pages and feed: public by law
    "/accessibility/",  # the accessibility statement: everyone must be able to read it
    "/privacy/",  # the privacy notice: the people whose data is held must be able to read it
    "/static/",  # CSS, JavaScript, fonts
}

# Pages a practitioner of the partnership may see (URL names, fnmatch patterns).
# Keep this small: each entry is something the role matrix gives every member.
PRACTITIONER_PAGES = {
    "home",  # their partnerships and roles
    "password_change",
    "password_change_done",  # their own password
    "two-factor-setup",
    "two-factor-verify",  # their own authenticator app
    "cases:referral-list",
    "cases:my-referrals",
    "api:referral-list",  # referrals they wrote
    "cases:referral-create",
    "cases:referral-new",
    "cases:make-referral",  # make a referral
    "cases:referral-detail",
    "cases:referral-edit",
    "cases:referral-submit",  # their own referral
    "api:referral-detail",
    "api:referral-submit",  # their own referral, by the API
    "cases:referral-check",  # check their answers before submitting
    "publication:briefing-detail",
    "publication:briefing-pdf",  # published briefings (library)
    "notifications:calendar*",  # their own calendar feed of the clocks they own
    "notifications:message*",  # their own in-app messages
    "publication:learning*",
    "publication:library*",
    "api:learning*",
    "api:briefing*",  # library
    "notifications:preferences*",
    "notifications:inbox*",
    "api:preference*",  # their messages
}

# Parameters that name no object: the value to use. A calendar-feed token is itself
# the credential (a secret per-user URL): a made-up one must get 404.
PLAIN_PARAMETERS = {"format": "json", "token": "not-a-real-token"}

# Words in URLs that are not model names: the model they mean (app_label.ModelName).
MODEL_ALIASES = {
    "report": "publication.Publication",
    "grant": "cases.CaseUserObjectPermission",
    "event": "reviews.PractitionerEvent",
    "member": "reviews.TeamMember",
}

# Marks of Northshire's data in a page: its name and its case references.
NORTHSHIRE_MARKS = ("Northshire", "NCC-")

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
OK_REFUSALS = {401, 403, 404, 405}


@dataclass
class Route:
    regex: str
    name: str
    callback: object
    params: list[str] = field(default_factory=list)
    path: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'}: ^{self.regex}"


def _strip(regex: str) -> str:
    return regex[1:] if regex.startswith("^") else regex


def discover(resolver=None, prefix="", namespaces=()) -> list[Route]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        regex = prefix + _strip(entry.pattern.regex.pattern)
        if isinstance(entry, URLResolver):
            more = (*namespaces, entry.namespace) if entry.namespace else namespaces
            routes += discover(entry, regex, more)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            routes.append(Route(regex=regex, name=name, callback=entry.callback))
    return routes


# -- Which model a view or parameter is about --------------------------------


def project_models() -> list[type[models.Model]]:
    labels = ["cspr", *settings.PROJECT_APPS]
    found = [m for label in labels for m in apps.get_app_config(label).get_models()]
    return [*found, get_user_model()]


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def model_named(name: str, app_label: str | None = None):
    wanted = _compact(name)
    candidates = [m for m in project_models() if m._meta.model_name == wanted]
    preferred = [m for m in candidates if m._meta.app_label == app_label]
    return (preferred or candidates or [None])[0]


def view_model(callback):
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return None
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    if getattr(cls, "model", None) is not None:
        return cls.model
    for attr in ("serializer_class", "form_class"):
        meta = getattr(getattr(cls, attr, None), "Meta", None)
        if getattr(meta, "model", None) is not None:
            return meta.model
    return None


def name_model(route: Route):
    """The model a URL name speaks of: 'cases:referral-detail' -> Referral."""
    namespace, _, name = route.name.rpartition(":")
    tokens = [t for t in re.split(r"[-_]", name) if t]
    for size in range(len(tokens), 0, -1):
        for start in range(0, len(tokens) - size + 1):
            model = model_named("".join(tokens[start : start + size]), namespace or None)
            if model is not None:
                return model
    return None


def model_meant_by(word: str, app_label: str | None = None):
    """The model a URL word means: its name, an alias, or the one model of the app
    (or else of the project) whose name begins or ends with the word
    ('return' -> AgencyReturn, 'draft' -> DraftVersion, 'notification' ->
    SeriousIncidentNotification)."""
    compact = _compact(word)
    if not compact:
        return None
    for candidate in (compact, compact[:-1] if compact.endswith("s") else None):
        if not candidate:
            continue
        if candidate in MODEL_ALIASES:
            return apps.get_model(MODEL_ALIASES[candidate])
        model = model_named(candidate, app_label)
        if model is not None:
            return model
        for scope in ([m for m in project_models() if m._meta.app_label == app_label], project_models()):
            matches = [
                m
                for m in scope
                if m._meta.model_name.endswith(candidate) or m._meta.model_name.startswith(candidate)
            ]
            if len(matches) == 1:
                return matches[0]
    return None


def segment_model(route: Route, param: str):
    """The model named by the path segment just before the parameter:
    'rapid-reviews/<pk>/' -> RapidReview."""
    before = route.regex.split(f"(?P<{param}>", 1)[0].replace("\\", "")
    segments = [s for s in before.strip("^/").split("/") if s]
    if not segments:
        return None
    namespace = route.name.rpartition(":")[0] or None
    return model_meant_by(segments[-1], namespace)


def param_model(route: Route, param: str):
    if param in {"pk", "id", "object_id"}:
        return view_model(route.callback) or segment_model(route, param) or name_model(route)
    base = re.sub(r"_(pk|id)$", "", param)
    namespace = route.name.rpartition(":")[0] or None
    return model_meant_by(base, namespace)


# -- Northshire's objects -------------------------------------------------------


def lookup_to_partnership(model, depth=3) -> str | None:
    """The ORM lookup from ``model`` to its Partnership, like 'case__partnership'."""
    if model is Partnership:
        return "pk"
    if model is get_user_model():
        return "memberships__partnership"
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for f in current._meta.get_fields():
            if not (f.is_relation and (f.many_to_one or f.one_to_one) and f.concrete):
                continue
            target = f.related_model
            lookup = f"{path}__{f.name}" if path else f.name
            if target is Partnership:
                return lookup
            if target not in seen and lookup.count("__") < depth:
                seen.add(target)
                queue.append((target, lookup))
    return None


def fill(route: Route, northshire: Partnership) -> str:
    """The route's path with real Northshire objects; raises LookupError to report."""
    candidates = normalize(route.regex)
    fmt, params = candidates[0]
    route.params = list(params)
    values: dict[str, str] = {}
    chosen: dict[type, models.Model] = {}
    is_admin = route.name.startswith("admin:") or route.regex.startswith("admin/")
    # Parents before the object itself, so a nested object is found under its parent.
    for param in sorted(params, key=lambda p: p in {"pk", "id", "object_id"}):
        group = re.search(rf"\(\?P<{param}>([^)]*)\)", route.regex)
        literals = group.group(1).split("|") if group else []
        if param in PLAIN_PARAMETERS:
            values[param] = PLAIN_PARAMETERS[param]
            continue
        if is_admin:
            # The admin refuses non-staff before looking anything up.
            values[param] = literals[0] if len(literals) > 1 else "1"
            continue
        model = param_model(route, param)
        if model is None:
            view = view_model(route.callback) or name_model(route)
            if view is not None and param in {f.name for f in view._meta.fields}:
                model = view
        if model is None:
            raise LookupError(f"cannot tell which model parameter '{param}' names")
        lookup = lookup_to_partnership(model)
        if lookup is None:
            raise LookupError(f"{model.__name__} has no path to a partnership")
        objects = model._default_manager.filter(**{lookup: northshire.pk}).distinct().order_by("pk")
        for parent_model, parent in chosen.items():
            links = [f.name for f in model._meta.fields if f.is_relation and f.related_model is parent_model]
            if links and objects.filter(**{links[0]: parent}).exists():
                objects = objects.filter(**{links[0]: parent})
        obj = objects.first()
        if obj is None:
            raise LookupError(
                f"no {model.__name__} of Northshire in the demo data: add one to "
                f"{model._meta.app_label}/demo.py"
            )
        chosen[model] = obj
        field_names = {f.name for f in model._meta.fields}
        attr = param if param in field_names and param not in {"id"} else "pk"
        values[param] = str(getattr(obj, attr))
    path = "/" + fmt % values
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise LookupError(f"the filled path {path} does not resolve") from exc
    if match.func is not route.callback and not is_admin:
        raise LookupError(f"the filled path {path} resolves to another view ({match.view_name})")
    return path


# -- The walk --------------------------------------------------------------------


@pytest.fixture
def walk():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    northshire = Partnership.objects.get(code="NCC")
    routes, unfillable = [], []
    for route in discover():
        try:
            route.path = fill(route, northshire)
        except LookupError as exc:
            unfillable.append(f"{route.label} -> {exc}")
        else:
            routes.append(route)
    assert not unfillable, "URL patterns the walker cannot fill:\n" + "\n".join(unfillable)
    User = get_user_model()
    return {
        "routes": routes,
        "outsider": User.objects.get(username="southport"),
        "practitioner": User.objects.get(username="practitioner"),
    }


def is_public(path: str) -> bool:
    return path.startswith(tuple(PUBLIC_PATHS))


def is_practitioner_page(route: Route) -> bool:
    return any(fnmatch.fnmatchcase(route.name, pattern) for pattern in PRACTITIONER_PAGES)


def refused(response, hops=2) -> bool:
    """Refused: 401/403/404/405, or redirected (within two hops on this site, like
    the admin's sign-out to its index) to a sign-in page."""
    if response.status_code in OK_REFUSALS:
        return True
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(LOGIN_PATHS):
            return True
        if hops and location.startswith("/") and hasattr(response, "client"):
            return refused(response.client.get(location), hops - 1)
    return False


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def check_policy(response, where):
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, f"{where}: no Content-Security-Policy"
    script = re.search(r"script-src([^;]*)", policy)
    assert script and "'unsafe-inline'" not in script.group(1), where


def requests(route: Route, user):
    # The admin refuses non-staff the same way whatever the method: GET is enough.
    methods = ("get",) if route.name.startswith("admin:") else ("get", "post")
    for method in methods:
        client = Client()
        if user is not None:
            log_in(client, user)
        response = getattr(client, method)(route.path)
        if method == "post" and route.path.startswith("/api/v1/") and response.status_code == 415:
            # The API takes JSON (multipart only for an upload): an empty JSON object.
            response = client.post(route.path, {}, content_type="application/json")
        yield method.upper(), response


def test_the_walker_finds_the_kernel_pages_and_the_api(walk):
    names = {route.name for route in walk["routes"]}
    assert {"home", "login", "audit-trail", "schema", "api-docs"} <= names
    assert any(route.name.startswith("admin:") for route in walk["routes"])


def test_anonymous_visitors_get_only_public_pages(walk):
    problems = []
    for route in walk["routes"]:
        for method, response in requests(route, None):
            where = f"{method} {route.path} ({route.label})"
            check_policy(response, where)
            if is_public(route.path):
                assert response.status_code < 500, where
            elif not refused(response):
                problems.append(f"{where} -> {response.status_code}")
    assert not problems, "Anonymous visitors got:\n" + "\n".join(problems)


def test_a_business_manager_of_another_partnership_never_gets_northshires_data(walk):
    problems = []
    for route in walk["routes"]:
        for method, response in requests(route, walk["outsider"]):
            where = f"{method} {route.path} ({route.label})"
            check_policy(response, where)
            assert response.status_code < 500, where
            if is_public(route.path):
                continue
            if any(p != "format" for p in route.params):
                # The URL names a Northshire object: refused, whatever the method.
                if not refused(response):
                    problems.append(f"{where} -> {response.status_code}")
            elif any(mark in body(response) for mark in NORTHSHIRE_MARKS):
                # A list or form of their own partnership: none of Northshire's data.
                problems.append(f"{where} -> {response.status_code} shows Northshire's data")
    assert not problems, "Another partnership's business manager got:\n" + "\n".join(problems)


def test_a_practitioner_reaches_only_the_pages_every_member_may_see(walk):
    problems = []
    for route in walk["routes"]:
        for method, response in requests(route, walk["practitioner"]):
            where = f"{method} {route.path} ({route.label})"
            check_policy(response, where)
            assert response.status_code < 500, where
            if is_public(route.path) or is_practitioner_page(route):
                continue
            object_url = any(p != "format" for p in route.params)
            if object_url and not refused(response):
                problems.append(f"{where} -> {response.status_code}")
            elif not object_url and response.status_code == 200 and "NCC-" in body(response):
                problems.append(f"{where} -> 200 with case data")
            elif not object_url and response.status_code not in {200, 400} and not refused(response):
                problems.append(f"{where} -> {response.status_code}")
    assert not problems, "A practitioner got:\n" + "\n".join(problems)
