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


def member(partnership, role, *, agency=None, username=None):
    """A new user holding ``role`` in ``partnership``."""
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(user=user, partnership=partnership, role=role, agency=agency)
    return user


# --- reviews and publication (issue 4) ---------------------------------------

import datetime as _dt  # noqa: E402
import io as _io  # noqa: E402
import zipfile as _zipfile  # noqa: E402

import itertools as _itertools  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

_case_numbers = _itertools.count(1)


def review_case(partnership, *, reference=None, child_name="", referral_author=None, **fields):
    """A case of ``partnership`` (with a referral holding ``child_name`` if given)."""
    from cases.models import Case, Referral, initials

    referral = None
    if child_name:
        referral = Referral.objects.create(
            partnership=partnership,
            author=referral_author or UserFactory(),
            status=Referral.Status.ACCEPTED,
            child_name=child_name,
            child_address="1 Example Street",
        )
    return Case.objects.create(
        partnership=partnership,
        reference=reference or f"{partnership.code}-2026-{next(_case_numbers):03d}",
        referral=referral,
        child_initials=initials(child_name),
        outcome=fields.pop("outcome", "seriously_harmed"),
        incident_date=fields.pop("incident_date", _dt.date(2026, 1, 5)),
        **fields,
    )


def pdf_upload(name="report.pdf", body=b"Example report"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + body + b"\n%%EOF\n",
                              content_type="application/pdf")


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


def commissioned_review(partnership, actor, *, kind="local_cspr", decided_on=None, **case_fields):
    from reviews.services import commission_review

    return commission_review(
        case=review_case(partnership, **case_fields), kind=kind,
        decided_on=decided_on or _dt.date(2026, 1, 20), actor=actor,
    )
