"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from cspr.models import Agency, Membership, Partnership
from cspr.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("correct-horse-battery")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n} Safeguarding Children Partnership")
    code = factory.Sequence(lambda n: "P" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    local_authority_area = factory.Sequence(lambda n: f"Area {n} Council")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.CHILDRENS_SOCIAL_CARE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.PRACTITIONER
    agency = None


def log_in(client, user):
    """Sign ``user`` in on a test client the way the sign-in page and then the code page
    leave them: a confirmed authenticator app (made if they have none) and the session
    marked by django-otp's own ``login`` (``cspr.twofactor.force_login_with_two_factor``).
    Tests about two-factor sign-in go through the real pages instead."""
    from cspr.twofactor import force_login_with_two_factor

    force_login_with_two_factor(client, user)
    return client


def sign_in_with_code(client, user, *, password=None, follow=False):
    """Sign in through the pages as a member who set up their authenticator app earlier:
    the password on the sign-in page, then the code the app shows now (computed from the
    device's key, RFC 6238) on the code page. Returns the code page's answer."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.security.totp import totp

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    password = password or "correct-horse-battery"  # UserFactory's
    client.post(reverse("login"), {"username": user.username, "password": password})
    return client.post(reverse("two-factor-verify"), {"code": totp(device.bin_key)}, follow=follow)


def member(partnership, role, *, agency=None, username=None):
    """A new user holding ``role`` in ``partnership``."""
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(user=user, partnership=partnership, role=role, agency=agency)
    return user


# --- cases and notifications -------------------------------------------------

import datetime as _dt  # noqa: E402

from cases.models import Case, CaseChild, Referral, ReferralChild  # noqa: E402
from notifications.models import SeriousIncidentNotification  # noqa: E402

#: The child a ``ReferralFactory`` names unless told otherwise (``children__name=...``
#: changes one answer of it; ``children=[{...}, ...]`` names others; ``children=[]`` none).
REFERRAL_CHILD = {
    "name": "Jordan Lee Smith",
    "date_of_birth": _dt.date(2020, 3, 1),
    "unborn": False,
    "address": "1 Example Street, Northtown",
    "gender": "male",
    "ethnicity": "",
    "nature": "seriously_harmed",
}

#: A looked-after child who died (``CaseFactory(children=[LOOKED_AFTER_CHILD_DIED])``):
#: Ofsted and the Secretary of State are told too.
LOOKED_AFTER_CHILD_DIED = {
    "initials": "L.A.",
    "age_months": 14 * 12,
    "nature": "died",
    "looked_after": "yes",
    "placement_type": "childrens_home",
}

#: The child a ``CaseFactory`` names unless told otherwise (the same way).
CASE_CHILD = {
    "initials": "J.S.",
    "age_months": 6 * 12,
    "gender": "male",
    "nature": "seriously_harmed",
}


def _children(extracted, kwargs, default: dict) -> list[dict]:
    if extracted is not None:
        return [dict(child) for child in extracted]
    return [{**default, **kwargs}]


class ReferralFactory(factory.django.DjangoModelFactory):
    """A complete referral (ready to submit); ``status`` defaults to draft."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    author = factory.SubFactory(UserFactory)
    referrer_name = "Pat Practitioner"
    referrer_agency = factory.LazyAttribute(
        lambda o: AgencyFactory(partnership=o.partnership, kind=Agency.Kind.HEALTH_PROVIDER)
    )
    referrer_role = "Health visitor"
    referrer_contact = "pat@example.org"
    incident_date = _dt.date(2026, 3, 10)
    incident_description = "Admitted to hospital with unexplained injuries."
    abuse_or_neglect = "suspected"
    why_criteria_met = "Suspected physical abuse; serious injury."
    childrens_social_care_aware = "yes"

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create:
            self.agencies_involved.set(extracted if extracted is not None else [self.referrer_agency])

    @factory.post_generation
    def children(self, create, extracted, **kwargs):
        if create:
            for ordinal, values in enumerate(_children(extracted, kwargs, REFERRAL_CHILD), 1):
                ReferralChild.objects.create(referral=self, ordinal=ordinal, **values)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    # Sequence numbers from 501, clear of the references tests write out by hand.
    reference = factory.LazyAttributeSequence(lambda o, n: f"{o.partnership.code}-2026-{n + 501:03d}")
    incident_date = _dt.date(2026, 3, 27)

    @factory.post_generation
    def children(self, create, extracted, **kwargs):
        if create:
            for ordinal, values in enumerate(_children(extracted, kwargs, CASE_CHILD), 1):
                agencies = values.pop("agencies", None)
                child = CaseChild.objects.create(case=self, ordinal=ordinal, **values)
                if agencies:
                    child.agencies.set(agencies)


class SeriousIncidentNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeriousIncidentNotification

    case = factory.SubFactory(CaseFactory)
    status = SeriousIncidentNotification.Status.NOTIFIED
    aware_on = _dt.date(2026, 3, 30)
    notified_panel_on = _dt.date(2026, 4, 2)
    panel_reference = factory.Sequence(lambda n: f"SIN-2026-{n + 100:04d}")
    incident_local_authority = "Northshire County Council"
    residence_local_authority = "Northshire County Council"


# --- Statutory clocks (deadlines, reminders, dashboard) ----------------------


def open_clock(
    partnership,
    *,
    rule="notify_panel",
    due_date=None,
    start_date=None,
    owner=None,
    agency=None,
    reference=None,
):
    """A statutory clock opened the one real way (``open_deadline``), on a new case."""
    from cspr import services

    case = CaseFactory(
        partnership=partnership,
        incident_date=_dt.date(2026, 1, 5),
        **({"reference": reference} if reference else {}),
    )
    start = start_date or (due_date - _dt.timedelta(days=7) if due_date else _dt.date(2026, 11, 2))
    return services.open_deadline(
        rule=rule,
        subject=case,
        partnership=partnership,
        start_date=start,
        reference=case.reference,
        due_date=due_date,
        owner=owner,
        agency=agency,
    )


# --- reviews and publication ------------------------------------------------

import io as _io  # noqa: E402
import zipfile as _zipfile  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402


def review_case(partnership, *, reference=None, child_name="", referral_author=None, **fields):
    """A case of ``partnership`` (with a referral holding ``child_name`` if given)."""
    from cases.models import initials

    referral = None
    if child_name:
        referral = Referral.objects.create(
            partnership=partnership,
            author=referral_author or UserFactory(),
            status=Referral.Status.ACCEPTED,
        )
        ReferralChild.objects.create(
            referral=referral, ordinal=1, name=child_name, address="1 Example Street"
        )
    fields.setdefault("incident_date", _dt.date(2026, 1, 5))
    if reference:
        fields["reference"] = reference
    return CaseFactory(
        partnership=partnership, referral=referral, children__initials=initials(child_name), **fields
    )


def pdf_upload(name="report.pdf", body=b"Example report"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + body + b"\n%%EOF\n", content_type="application/pdf")


def docx_upload(name="draft.docx"):
    buffer = _io.BytesIO()
    with _zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def odt_upload(name="draft.odt"):
    buffer = _io.BytesIO()
    with _zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def commissioned_review(
    partnership, actor, *, kind="local_cspr", decided_on=None, commissioned_on=None, **case_fields
):
    """A review commissioned the day it was decided (unless ``commissioned_on`` says
    otherwise), so that any later date of its progress may be recorded."""
    from reviews.services import commission_review

    decided_on = decided_on or _dt.date(2026, 1, 20)
    return commission_review(
        case=review_case(partnership, **case_fields),
        kind=kind,
        decided_on=decided_on,
        commissioned_on=commissioned_on or decided_on,
        actor=actor,
    )


def publish_long_ago(publication, *, copies_on, published_on, actor=None):
    """Record the three copies (Panel, Secretary of State, Ofsted) on ``copies_on`` and
    publish on ``published_on``, a date long before today: a partner lead records
    why (``actor`` when given, else a new partner lead of the partnership)."""
    from cspr.roles import Role
    from publication import services

    lead = actor or member(publication.partnership, Role.PARTNER_LEAD)
    services.record_copies(
        publication=publication,
        actor=lead,
        copy_to_panel_on=copies_on,
        copy_to_secretary_of_state_on=copies_on,
        copy_to_ofsted_on=copies_on,
    )
    return services.publish(
        publication=publication,
        actor=lead,
        published_on=published_on,
        backdating_reason="Published before it was recorded here.",
    )


def as_if_recorded_on(publication, day):
    """Make a published report look as if its publication was recorded here on ``day``
    (long ago): its 12 months, and their clock, count from that day."""
    from dateutil.relativedelta import relativedelta
    from django.contrib.contenttypes.models import ContentType

    from cspr.models import Deadline
    from publication.models import Publication

    until = day + relativedelta(months=12)
    Publication.objects.filter(pk=publication.pk).update(published_recorded_on=day, public_until=until)
    Deadline.objects.filter(
        rule="publication_window",
        subject_id=publication.pk,
        subject_type=ContentType.objects.get_for_model(Publication),
    ).update(start_date=day, due_date=until)


def api_authorization(user) -> str:
    """The ``Authorization`` header value an API client of ``user`` sends. Every test that
    calls the API with a token gets it here, so that how tokens are issued is one place."""
    from knox.models import AuthToken

    return f"Token {AuthToken.objects.create(user=user)[1]}"
