"""Every free-text field has a maximum length with a clear error: 100,000
characters are refused through the API (every string field of every PATCH
operation) and through the pages (a form field without a limit of its own gets
``LONG_TEXT_MAX_LENGTH``)."""

import pytest
from django import forms

from cspr.forms import LONG_TEXT_MAX_LENGTH, GovukForm
from tests.factories import api_authorization, log_in
from tests.security.test_api_writes_are_atomic import PATCH_OPERATIONS, api, manager  # noqa: F401

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000


def _request_schema(paths, components, template):
    content = paths[template]["patch"]["requestBody"]["content"]["application/json"]
    name = content["schema"]["$ref"].rsplit("/", 1)[-1]
    return components[name]


@pytest.mark.parametrize("template", sorted(PATCH_OPERATIONS))
def test_every_string_field_of_the_api_refuses_100000_characters(api, template):  # noqa: F811
    schema = api.get("/api/schema/", {"format": "json"}).json()
    request_schema = _request_schema(schema["paths"], schema["components"]["schemas"], template)
    objects, _field, params = PATCH_OPERATIONS[template]
    item = objects().first()
    url = template.format(**params(item))
    if hasattr(item, "author"):  # only its author changes a referral
        api.defaults["HTTP_AUTHORIZATION"] = api_authorization(item.author)
    components = schema["components"]["schemas"]

    def text_fields(properties):
        return [
            name
            for name, prop in properties.items()
            if prop.get("type") == "string" and "format" not in prop and "enum" not in prop
        ]

    strings = text_fields(request_schema["properties"])
    # Text inside a list of objects (a case's or a referral's children): {list: [{field: text}]}.
    bodies = [(name, name, {name: HUGE}, request_schema["properties"][name]) for name in strings]
    for name, prop in request_schema["properties"].items():
        ref = prop.get("items", {}).get("$ref") if prop.get("type") == "array" else None
        if ref and "properties" in components[ref.rsplit("/", 1)[-1]]:
            nested = components[ref.rsplit("/", 1)[-1]]["properties"]
            bodies += [
                (f"{name}.{sub}", name, {name: [{sub: HUGE}]}, nested[sub]) for sub in text_fields(nested)
            ]
    assert bodies
    for label, key, body, prop in bodies:
        assert prop["maxLength"] <= LONG_TEXT_MAX_LENGTH, label
        response = api.patch(url, body, content_type="application/json")
        assert response.status_code in (400, 403), (template, label, response.status_code)
        if response.status_code == 400:
            assert key in response.json(), (template, label, response.content[:300])
            assert "characters or fewer" in str(response.json()[key]) or "no more than" in str(
                response.json()[key]
            )
        before = {f: getattr(item, f, None) for f in strings}
        item.refresh_from_db()
        assert {f: getattr(item, f, None) for f in strings} == before


def test_a_form_encoded_api_body_is_refused(api):  # noqa: F811
    """Writes take JSON (multipart only for an upload): a form body is a 415, and
    nothing is saved."""
    template = "/api/v1/reviews/{id}/"
    objects, _field, params = PATCH_OPERATIONS[template]
    item = objects().first()
    url = template.format(**params(item))
    from urllib.parse import urlencode

    response = api.patch(
        url, urlencode({"scope": "Changed"}), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "detail" in response.json()
    item.refresh_from_db()
    assert item.scope != "Changed"


class _Text(GovukForm):
    notes = forms.CharField(widget=forms.Textarea)
    name = forms.CharField(max_length=60)


def test_a_page_form_field_without_a_limit_gets_the_long_text_one():
    form = _Text({"notes": HUGE, "name": "x" * 61})
    assert not form.is_valid()
    assert "10000 characters or fewer" in form.errors["notes"][0]
    assert "60" in form.errors["name"][0]
    assert _Text({"notes": "x" * LONG_TEXT_MAX_LENGTH, "name": "ok"}).is_valid()


def test_a_page_refuses_100000_characters(client, manager):  # noqa: F811
    from reviews.models import Review

    review = Review.objects.filter(partnership__code="NCC", kind="local_cspr").first()
    log_in(client, manager)
    from django.urls import reverse

    url = reverse("reviews:review-terms", args=[review.pk])
    response = client.post(url, {"scope": HUGE})
    assert response.status_code == 200
    assert "characters or fewer" in response.content.decode()
    review.refresh_from_db()
    assert review.scope != HUGE
