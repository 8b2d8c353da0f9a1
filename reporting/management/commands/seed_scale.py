"""Build a national-scale data set for the benchmark (``make bench``): 150 partnerships,
about 10,000 cases over 10 years, 60,000 deadlines and 200,000 audit events, and the
shape of the work around them: a referral per case, rapid reviews with agency
returns, reviews with recommendations and actions, published reports and 7-minute
briefings written in the words such reports use, in-app messages and delivery logs.
``--cases-per-partnership 670`` is ten times national scale (docs/benchmarks.md).

Invented names only. Bulk inserts in batches, a partnership group at a time (memory
stays flat whatever the scale); ANALYZE at the end. A second run finds the data there
and stops at once.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from cases.codes import ADULT_AGE_MONTHS, MAX_CHILDREN, Ethnicity, Gender, Nature, YesNoNotKnown
from cases.models import Case, CaseChild
from cspr.deadlines import compute_due_date, get_rule
from cspr.models import Agency, AuditEvent, Deadline, Membership, Partnership
from cspr.roles import Role
from cspr.workdays import current_calendar

PARTNERSHIPS = 150
CASES_PER_PARTNERSHIP = 67  # about 10,000 in all
YEARS = 10
AUDIT_PER_CASE = 20  # about 200,000 in all
BATCH = 5000
GROUP = 10  # partnerships built per transaction: bounds memory at ten times the scale
# Shares of cases that went on to each stage, roughly as nationally.
RAPID_REVIEW_SHARE, REVIEW_SHARE, PUBLISHED_SHARE = 0.9, 0.3, 0.7
# The words of the reports, so that full-text search and its index meet realistic text.
THEMES = [
    "neglect",
    "domestic abuse",
    "parental mental health",
    "parental substance misuse",
    "child criminal exploitation",
    "county lines",
    "sudden unexpected infant death",
    "non-accidental head injury",
    "bruising in non-mobile babies",
    "safe sleep",
    "adolescent suicide",
    "online harm",
    "child sexual abuse",
    "children with disabilities",
    "elective home education",
    "missing from education",
    "professional curiosity",
    "information sharing",
    "the voice of the child",
    "fathers and male carers",
]
PHRASES = [
    "Agencies did not share information about {t} in time.",
    "Practitioners lacked the professional curiosity to ask about {t}.",
    "The partnership should strengthen its multi-agency response to {t}.",
    "Escalation between health, police and children's social care about {t} was slow.",
    "Supervision did not help practitioners to see the pattern of {t}.",
    "The family's engagement hid the risk of {t} from universal services.",
]
PASSWORD = "bench-password-2026"  # noqa: S105 (benchmark data only)
# The clocks of one case, in order: (rule, days after awareness the clock starts).
CLOCKS = [
    "notify_panel",
    "tell_partners",
    "rapid_review",
    "lcspr_final_report",
    "copies_before_publication",
    "publication_window",
]


def code_for(index: int) -> str:
    letters = ""
    for _ in range(3):
        index, rest = divmod(index, 26)
        letters = chr(65 + rest) + letters
    return "Z" + letters


class Command(BaseCommand):
    help = "Build the national-scale benchmark data set (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnerships",
            type=int,
            default=PARTNERSHIPS,
            help="How many partnerships (150, the national scale, by default).",
        )
        parser.add_argument(
            "--cases-per-partnership",
            type=int,
            default=CASES_PER_PARTNERSHIP,
            help="Cases per partnership (67, today's national scale, by default; "
            "670 is ten times national scale).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rng = random.Random(2026)  # noqa: S311 (not security)
        today = timezone.localdate()
        codes = [code_for(i) for i in range(options["partnerships"])]
        per_partnership = options["cases_per_partnership"]
        if Case.objects.filter(partnership__code__in=codes).count() >= len(codes) * per_partnership:
            self.stdout.write("The scale data set is already there.")
            return
        with transaction.atomic():
            partnerships = self._partnerships(codes)
            self._people(partnerships)
        for first in range(0, len(partnerships), GROUP):
            group = partnerships[first : first + GROUP]
            with transaction.atomic():
                self._cases_and_clocks(group, rng, today, per_partnership)
                self._stages(group, rng, today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data set built in {time.perf_counter() - started:.0f} s: "
                f"{Partnership.objects.count()} partnerships, {Case.objects.count()} cases, "
                f"{Deadline.objects.count()} deadlines, {AuditEvent.objects.count()} audit events."
            )
        )

    def _partnerships(self, codes):
        existing = set(Partnership.objects.filter(code__in=codes).values_list("code", flat=True))
        Partnership.objects.bulk_create(
            [
                Partnership(
                    code=code,
                    name=f"Scale Area {code} Safeguarding Children Partnership",
                    local_authority_area=f"Scale Area {code} Council",
                )
                for code in codes
                if code not in existing
            ]
        )
        partnerships = list(Partnership.objects.filter(code__in=codes).order_by("code"))
        have = set(
            Agency.objects.filter(partnership__in=partnerships).values_list("partnership_id", flat=True)
        )
        Agency.objects.bulk_create(
            [
                Agency(partnership=p, name=f"{p.code} {label}", kind=kind)
                for p in partnerships
                if p.pk not in have
                for label, kind in [
                    ("Children's Social Care", Agency.Kind.CHILDRENS_SOCIAL_CARE),
                    ("Police", Agency.Kind.POLICE),
                    ("Integrated Care Board", Agency.Kind.ICB),
                ]
            ]
        )
        return partnerships

    def _people(self, partnerships):
        User = get_user_model()
        password = make_password(PASSWORD)
        wanted = {}
        for index, p in enumerate(partnerships):
            for prefix, role in [("bm", Role.BUSINESS_MANAGER), ("pl", Role.PARTNER_LEAD)]:
                wanted[f"scale-{prefix}-{index:03d}"] = (p, role)
        # A business manager of ten partnerships (a regional hub): the lists' worst case.
        wide = partnerships[:10]
        existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        User.objects.bulk_create(
            [
                User(
                    username=name,
                    email=f"{name}@example.org",
                    password=password,
                    first_name="Scale",
                    last_name=name.split("-", 1)[1],
                )
                for name in [*wanted, "scale-bm-wide"]
                if name not in existing
            ]
        )
        users = {u.username: u for u in User.objects.filter(username__in=[*wanted, "scale-bm-wide"])}
        Membership.objects.bulk_create(
            [Membership(user=users[name], partnership=p, role=role) for name, (p, role) in wanted.items()]
            + [
                Membership(user=users["scale-bm-wide"], partnership=p, role=Role.BUSINESS_MANAGER)
                for p in wide
            ],
            ignore_conflicts=True,
        )

    def _cases_and_clocks(self, partnerships, rng, today, per_partnership=CASES_PER_PARTNERSHIP):
        calendar = current_calendar()
        start = today - dt.timedelta(days=365 * YEARS)
        span = (today - start).days
        seeded = set(
            Case.objects.filter(partnership__in=partnerships).values_list("partnership_id", flat=True)
        )
        cases = []
        for p in partnerships:
            if p.pk in seeded:
                continue
            days = sorted(rng.randrange(span) for _ in range(per_partnership))
            for number, offset in enumerate(days, 1):
                incident = start + dt.timedelta(days=offset)
                cases.append(
                    Case(
                        partnership=p,
                        reference=f"{p.code}-{incident.year}-{number:03d}",
                        incident_date=incident,
                    )
                )
        Case.objects.bulk_create(cases, batch_size=BATCH)
        CaseChild.objects.bulk_create(
            [
                CaseChild(
                    case=case,
                    ordinal=ordinal,
                    initials="X.Y.",
                    age_months=rng.randrange(0, ADULT_AGE_MONTHS),
                    nature=rng.choice(Nature.values),
                    gender=rng.choice(Gender.values),
                    ethnicity=rng.choice(Ethnicity.values),
                    looked_after=rng.choice(YesNoNotKnown.values),
                    child_protection_plan=rng.choice(YesNoNotKnown.values),
                    known_to_agencies=rng.choice(YesNoNotKnown.values),
                )
                for case in cases
                # Most incidents concern one child; a few name siblings too.
                for ordinal in range(1, 1 + (1 if rng.random() < 0.9 else rng.randrange(2, MAX_CHILDREN + 1)))
            ],
            batch_size=BATCH,
        )
        self.stdout.write(f"  {len(cases)} cases")
        case_type = ContentType.objects.get_for_model(Case)
        cases = list(
            Case.objects.filter(partnership__in=partnerships)
            .exclude(pk__in=Deadline.objects.filter(subject_type=case_type).values("subject_id"))
            .select_related("partnership")
        )
        deadlines, events = [], []
        now = timezone.now()
        for case in cases:
            aware = case.incident_date + dt.timedelta(days=rng.randrange(1, 5))
            anchor = aware
            for rule_code in CLOCKS:
                rule = get_rule(rule_code)
                if rule_code == "rapid_review":
                    anchor = calendar.add_working_days(aware, 4)
                elif rule_code == "lcspr_final_report":
                    anchor = calendar.add_working_days(anchor, 15)
                elif rule_code == "copies_before_publication":
                    anchor = anchor + dt.timedelta(days=200)
                elif rule_code == "publication_window":
                    anchor = anchor + dt.timedelta(days=1)
                due = compute_due_date(rule, anchor, partnership=case.partnership, calendar=calendar)
                deadline = Deadline(
                    partnership=case.partnership,
                    rule=rule_code,
                    stage=rule.stage,
                    subject_type=case_type,
                    subject_id=case.pk,
                    reference=case.reference,
                    start_date=anchor,
                    due_date=due,
                    created_at=now,
                )
                if due < today - dt.timedelta(days=20) or (due < today and rng.random() < 0.7):
                    roll = rng.random()
                    if not rule.breach:
                        deadline.status = Deadline.Status.MET if roll < 0.97 else Deadline.Status.WAIVED
                        deadline.met_on = due
                    elif roll < 0.85:
                        deadline.status, deadline.met_on = (
                            Deadline.Status.MET,
                            due - dt.timedelta(days=rng.randrange(0, 4)),
                        )
                    elif roll < 0.97:
                        deadline.status, deadline.met_on = (
                            Deadline.Status.MET,
                            due + dt.timedelta(days=rng.randrange(1, 15)),
                        )
                    elif roll < 0.99:
                        deadline.status = Deadline.Status.WAIVED
                    else:
                        deadline.status = Deadline.Status.MISSED
                        deadline.missed_at = dt.datetime.combine(
                            due + dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC
                        )
                    if deadline.status == Deadline.Status.WAIVED:
                        deadline.waived_reason = "Benchmark data: waived"
                        deadline.met_on = None
                elif due < today and rule.breach:
                    deadline.status = Deadline.Status.MISSED
                    deadline.missed_at = dt.datetime.combine(
                        due + dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC
                    )
                deadlines.append(deadline)
            moment = dt.datetime.combine(aware, dt.time(9), tzinfo=dt.UTC)
            for n in range(AUDIT_PER_CASE):
                events.append(
                    AuditEvent(
                        at=moment + dt.timedelta(hours=7 * n),
                        partnership=case.partnership,
                        action=AuditEvent.Action.VIEW if n % 3 else AuditEvent.Action.CHANGE,
                        subject_type=case_type,
                        subject_id=case.pk,
                        subject_label=case.reference,
                    )
                )
        Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
        self.stdout.write(f"  {len(deadlines)} deadlines")
        for first in range(0, len(events), BATCH):
            AuditEvent.objects.bulk_create(events[first : first + BATCH])
        self.stdout.write(f"  {len(events)} audit events")

    def _text(self, rng, sentences=4):
        return " ".join(rng.choice(PHRASES).format(t=rng.choice(THEMES)) for _ in range(sentences))

    def _stages(self, partnerships, rng, today):
        """Referrals, rapid reviews with returns, reviews with recommendations and
        actions, publications with briefings, messages and delivery logs for the
        cases of ``partnerships`` (those with no rapid review yet)."""
        from cases.models import Referral
        from messaging.models import DeliveryLog, EmailStatus, Message, MessageKind
        from publication.models import Briefing, Publication
        from rapid_review.models import AgencyReturn, RapidReview
        from reviews.models import Action, Recommendation, Review

        User = get_user_model()
        cases = list(
            Case.objects.filter(partnership__in=partnerships, rapid_review__isnull=True)
            .order_by("id")
            .values("id", "partnership_id", "reference", "incident_date")
        )
        if not cases:
            return
        codes = {p.pk: p.code for p in partnerships}
        index = {p.pk: n for n, p in enumerate(Partnership.objects.order_by("code")) if p.pk in codes}
        managers = {u.username: u for u in User.objects.filter(username__startswith="scale-bm-")}
        manager_of = {pid: managers.get(f"scale-bm-{index[pid]:03d}") for pid in codes}
        agencies = {}
        for agency in Agency.objects.filter(partnership__in=partnerships).order_by("id"):
            agencies.setdefault(agency.partnership_id, []).append(agency)

        Referral.objects.bulk_create(
            [
                Referral(
                    partnership_id=c["partnership_id"],
                    author=manager_of[c["partnership_id"]],
                    status=Referral.Status.ACCEPTED,
                    incident_date=c["incident_date"],
                    abuse_or_neglect="suspected",
                    why_criteria_met=self._text(rng, 2),
                    incident_description=self._text(rng, 3),
                )
                for c in cases
            ],
            batch_size=BATCH,
        )

        chosen = [c for c in cases if rng.random() < RAPID_REVIEW_SHARE]
        settled = today - dt.timedelta(days=60)
        rapid = RapidReview.objects.bulk_create(
            [
                RapidReview(
                    case_id=c["id"],
                    anchor="notification",
                    anchor_date=c["incident_date"] + dt.timedelta(days=3),
                    status=RapidReview.Status.SUBMITTED
                    if c["incident_date"] < settled
                    else RapidReview.Status.OPEN,
                )
                for c in chosen
            ],
            batch_size=BATCH,
        )
        AgencyReturn.objects.bulk_create(
            [
                AgencyReturn(review=r, agency=a, requested_on=c["incident_date"] + dt.timedelta(days=4))
                for r, c in zip(rapid, chosen, strict=True)
                for a in agencies[c["partnership_id"]]
            ],
            batch_size=BATCH,
        )

        reviewed = [c for c in chosen if rng.random() < REVIEW_SHARE]
        reviews = Review.objects.bulk_create(
            [
                Review(
                    case_id=c["id"],
                    partnership_id=c["partnership_id"],
                    kind=Review.Kind.LOCAL_CSPR,
                    decided_on=c["incident_date"] + dt.timedelta(days=30),
                    commissioned_on=c["incident_date"] + dt.timedelta(days=44),
                    scope=self._text(rng, 2),
                    findings=self._text(rng, 4),
                )
                for c in reviewed
            ],
            batch_size=BATCH,
        )
        recommendations = Recommendation.objects.bulk_create(
            [
                Recommendation(
                    review=r,
                    number=n,
                    text=self._text(rng, 1),
                    target_date=r.decided_on + dt.timedelta(days=400),
                )
                for r in reviews
                for n in range(1, 5)
            ],
            batch_size=BATCH,
        )
        Action.objects.bulk_create(
            [
                Action(
                    recommendation=rec,
                    description=self._text(rng, 1),
                    owner_user=manager_of[rec.review.partnership_id],
                    due_date=rec.target_date - dt.timedelta(days=60),
                )
                for rec in recommendations
                for _ in range(2)
            ],
            batch_size=BATCH,
        )

        old = [r for r in reviews if r.decided_on < today - dt.timedelta(days=500)]
        published = [r for r in old if rng.random() < PUBLISHED_SHARE]
        Publication.objects.bulk_create(
            [
                Publication(
                    review=r,
                    partnership_id=r.partnership_id,
                    status=Publication.Status.PUBLISHED,
                    title=f"Child {codes[r.partnership_id]}-{r.pk}: local child safeguarding practice review",
                    file="scale/report.pdf",
                    size=250_000,
                    reviewer_names="Dr A. Reviewer",
                    summary_of_improvements=self._text(rng, 6),
                    systemic_analysis=self._text(rng, 8),
                    published_on=r.decided_on + dt.timedelta(days=420),
                    public_until=r.decided_on + dt.timedelta(days=420 + 365),
                )
                for r in published
            ],
            batch_size=BATCH,
        )
        Briefing.objects.bulk_create(
            [
                Briefing(
                    partnership_id=r.partnership_id,
                    review=r,
                    status=Briefing.Status.PUBLISHED,
                    title=f"7-minute briefing: {rng.choice(THEMES)}",
                    background=self._text(rng, 2),
                    what_happened=self._text(rng, 2),
                    key_learning=self._text(rng, 3),
                    what_should_change=self._text(rng, 2),
                    publish_with_report=rng.random() < 0.5,
                    published_on=r.decided_on + dt.timedelta(days=430),
                )
                for r in published
            ],
            batch_size=BATCH,
        )

        # In-app messages and their delivery logs: a reminder for each of the group's
        # live clocks, to the partnership's business manager, most of them read.
        now = timezone.now()
        live = list(
            Deadline.objects.filter(partnership__in=partnerships, status__in=["open", "missed"]).values(
                "id", "partnership_id", "reference"
            )
        )
        messages = Message.objects.bulk_create(
            [
                Message(
                    recipient=manager_of[d["partnership_id"]],
                    deadline_id=d["id"],
                    kind=MessageKind.REMINDER,
                    milestone="due-5",
                    subject=f"{d['reference']}: due in 5 working days",
                    body="A statutory deadline is coming up.",
                    read_at=now if rng.random() < 0.9 else None,
                )
                for d in live
            ],
            batch_size=BATCH,
        )
        DeliveryLog.objects.bulk_create(
            [
                DeliveryLog(
                    deadline_id=m.deadline_id,
                    milestone=m.milestone,
                    recipient=m.recipient,
                    channel=channel,
                    message=m if channel == DeliveryLog.Channel.IN_APP else None,
                    status=EmailStatus.SENT,  # delivered long ago: not in the outbox
                    sent_at=now,
                )
                for m in messages
                for channel in (DeliveryLog.Channel.IN_APP, DeliveryLog.Channel.EMAIL)
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        self.stdout.write(
            f"  {codes[partnerships[0].pk]}..: {len(cases)} referrals, {len(rapid)} rapid reviews, "
            f"{len(reviews)} reviews, {len(published)} publications, {len(messages)} messages"
        )
