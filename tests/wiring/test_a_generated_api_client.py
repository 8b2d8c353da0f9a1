"""An integrator's view of the API: a client generated from /api/schema/ with
openapi-python-client imports (every module), and walks a case from the practitioner's
referral to the published report against a live server, each answer parsed by the
generated models (so a response the schema does not describe fails here)."""

import datetime as dt
import importlib
import io
import json
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import api_authorization

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "cspr_generated_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory, django_db_blocker):
    """The client package, generated once for the module into a temporary folder and
    imported from there (every module of it)."""
    from drf_spectacular.generators import SchemaGenerator

    folder = tmp_path_factory.mktemp("client")
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    (folder / "schema.json").write_text(json.dumps(schema, default=str))
    # The PDF is binary: the generator reads binary answers of any media type once told
    # (its documented content_type_overrides).
    config = {
        "package_name_override": PACKAGE,
        "project_name_override": PACKAGE,
        "post_hooks": [],
        "content_type_overrides": {"application/pdf": "application/octet-stream"},
    }
    (folder / "config.json").write_text(json.dumps(config))
    generator = str(GENERATOR) if GENERATOR.exists() else shutil.which("openapi-python-client")
    assert generator, "openapi-python-client is not installed (the dev extra)"
    result = subprocess.run(
        [
            generator,
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--config",
            str(folder / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        modules = [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}.")
        ]
        yield package, modules
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def live_server():
    """pytest-django's live server with a MEDIA_URL (the project's is None, which
    Django's test server cannot parse; see tests/e2e/conftest.py)."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/test-server-media-not-served/"):
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    yield server
    server.stop()


def test_every_generated_module_imports(generated_client):
    _package, modules = generated_client
    names = {module.__name__.rsplit(".", 1)[-1] for module in modules}
    # One module per operation, tagged by resource, with readable names.
    assert {"referrals_create", "rapid_reviews_submit_create", "publications_publish_create"} <= names
    assert {module.__name__.split(".")[2] for module in modules if ".api." in module.__name__} >= {
        "referrals",
        "cases",
        "rapid_reviews",
        "reviews",
        "publications",
    }


def _op(name):
    tag = name.split("_create")[0].split("_retrieve")[0]
    for candidate in (tag, *(tag.rsplit("_", n)[0] for n in range(1, tag.count("_") + 1))):
        try:
            return importlib.import_module(f"{PACKAGE}.api.{candidate}.{name}")
        except ModuleNotFoundError:
            continue
    raise AssertionError(f"no generated operation {name}")


def _model(name):
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def _call(operation, client, code=200, **kwargs):
    """The operation through the generated client: its status, and its parsed answer."""
    response = _op(operation).sync_detailed(client=client, **kwargs)
    assert response.status_code == code, (operation, response.status_code, response.content)
    assert response.parsed is not None, operation
    return response.parsed


def test_a_case_goes_from_referral_to_publication_through_a_generated_client(
    generated_client, live_server, people
):
    package, _modules = generated_client

    def client_of(user):
        return package.Client(
            base_url=live_server.url,
            headers={"Authorization": api_authorization(user)},
            raise_on_unexpected_status=True,
        )

    author, team, lead = client_of(people.practitioner), client_of(people.manager), client_of(people.lead)
    today = timezone.localdate()
    start = today - dt.timedelta(days=150)

    def day(offset: int) -> str:
        return (start + dt.timedelta(days=offset)).isoformat()

    # The practitioner refers; the business team accepts: the case exists.
    referral = _call(
        "referrals_create",
        author,
        201,
        body=_model("ReferralRequest").from_dict(
            {
                "partnership": people.north.pk,
                "referrer_name": "Pat Practitioner",
                "referrer_agency": people.health.pk,
                "referrer_role": "Health visitor",
                "referrer_contact": "pat@example.org",
                "children": [
                    {
                        "name": "Jordan Lee Smith",
                        "date_of_birth": "2020-03-01",
                        "gender": "male",
                        "address": "1 Example Street",
                        "nature": "seriously_harmed",
                    }
                ],
                "incident_date": day(0),
                "incident_description": "Unexplained injuries.",
                "abuse_or_neglect": "suspected",
                "why_criteria_met": "Serious injury.",
                "agencies_involved": [people.health.pk, people.police.pk],
                "childrens_social_care_aware": "yes",
                "other_processes": [],
            }
        ),
    )
    _call("referrals_submit_create", author, id=referral.id)
    accepted = _call("referrals_accept_create", team, id=referral.id)
    assert accepted.case_reference
    cases = _call("cases_list", team)
    (case,) = [item for item in cases.results if item.reference == accepted.case_reference]
    assert _call("cases_retrieve", team, id=case.id).stage.value == "opened"

    # The Panel is notified; the rapid review meets, decides and is sent.
    notification = _call(
        "notifications_create",
        team,
        201,
        body=_model("NotificationRequest").from_dict(
            {"case": case.id, "aware_on": day(1), "incident_local_authority": "Northshire"}
        ),
    )
    _call(
        "notifications_record_panel_notification_create",
        team,
        id=notification.id,
        body=_model("PanelNotificationRequest").from_dict(
            {"notified_panel_on": day(2), "panel_reference": "SIN-1"}
        ),
    )
    review = _call("rapid_reviews_create", team, 201, body=_model("OpenRequest").from_dict({"case": case.id}))
    meeting = _call(
        "rapid_reviews_meetings_create",
        team,
        201,
        id=review.id,
        body=_model("MeetingInputRequest").from_dict({"date": day(10)}),
    )
    _call(
        "rapid_reviews_attendees_create",
        team,
        201,
        id=review.id,
        body=_model("AttendeeInputRequest").from_dict(
            {"meeting": meeting.id, "name": "Dana Okafor", "agency": people.police.pk, "role": "Inspector"}
        ),
    )
    _call(
        "rapid_reviews_agency_returns_create",
        team,
        201,
        id=review.id,
        body=_model("AgencyReturnInputRequest").from_dict(
            {"agency": people.health.pk, "requested_on": day(3)}
        ),
    )
    meetings = _call("rapid_reviews_meetings_list", team, id=review.id)
    assert [item.id for item in meetings] == [meeting.id]  # a bare list, as documented
    _call("rapid_reviews_record_meeting_create", team, id=review.id)
    _call(
        "rapid_reviews_partial_update",
        team,
        id=review.id,
        body=_model("PatchedRapidReviewDetailRequest").from_dict(
            {"criterion_agencies_working_together": True}
        ),
    )
    decided = _call(
        "rapid_reviews_decide_create",
        lead,
        id=review.id,
        body=_model("DecisionRequest").from_dict(
            {"decision": "local_cspr", "rationale": "Learning for the area.", "decided_on": day(11)}
        ),
    )
    assert decided.decision.value == "local_cspr"
    sent = _call(
        "rapid_reviews_submit_create",
        team,
        id=review.id,
        body=_model("SubmitRequest").from_dict({"sent_on": day(14)}),
    )
    assert sent.status.value == "submitted" and sent.submitted_on.isoformat() == day(14)
    report = _call("rapid_reviews_pdf_retrieve", team, id=review.id)
    assert report.payload.read(5) == b"%PDF-"

    # The local review is commissioned; its final report is published.
    local = _call(
        "reviews_from_rapid_review_create",
        team,
        201,
        body=_model("FromRapidReviewRequest").from_dict(
            {"rapid_review": review.id, "commissioned_on": day(20)}
        ),
    )
    assert local.kind.value == "local_cspr"
    file = package.types.File(
        payload=io.BytesIO(_pdf_bytes()), file_name="final-report.pdf", mime_type="application/pdf"
    )
    publication = _call(
        "publications_create",
        team,
        201,
        body=_model("CreatePublicationRequest")(
            review=local.id,
            file=file,
            title="Child J: a local review",
            summary_of_improvements="Share information sooner.",
            reviewer_names="Dr Ada Example",
            received_on=dt.date.fromisoformat(day(100)),
        ),
    )
    _call(
        "publications_record_copies_create",
        team,
        id=publication.id,
        body=_model("CopiesRequest").from_dict(
            {
                "copy_to_panel_on": day(101),
                "copy_to_secretary_of_state_on": day(101),
                "copy_to_ofsted_on": day(101),
            }
        ),
    )
    published = _call(
        "publications_publish_create",
        lead,
        id=publication.id,
        body=_model("PublishRequest").from_dict({"published_on": today.isoformat()}),
    )
    assert published.status.value == "published"
    assert published.published_on == today
    listed = _call("publications_list", team, status=_model("PublicationStatusEnum")("published"))
    assert [item.id for item in listed.results] == [publication.id]

    # A bad token: 401 with the scheme to use.
    stranger = package.Client(base_url=live_server.url, headers={"Authorization": "Token not-a-token"})
    refused = _op("cases_list").sync_detailed(client=stranger)
    assert refused.status_code == 401 and refused.headers.get("WWW-Authenticate", "").startswith("Token")


def _pdf_bytes() -> bytes:
    from tests.factories import pdf_upload

    return pdf_upload().read()
