"""Build a national-scale data set for the benchmark (``make bench``): 150 partnerships,
about 10,000 cases over 10 years, 60,000 deadlines and 200,000 audit events.

Invented names only. Bulk inserts in batches; a second run finds the data there
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
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cspr.deadlines import compute_due_date, get_rule
from cspr.models import Agency, AuditEvent, Deadline, Membership, Partnership
from cspr.roles import Role
from cspr.workdays import current_calendar

PARTNERSHIPS = 150
CASES_PER_PARTNERSHIP = 67  # about 10,000 in all
YEARS = 10
AUDIT_PER_CASE = 20  # about 200,000 in all
BATCH = 5000
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
        parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS,
                            help="How many partnerships (150, the national scale, by default).")
        parser.add_argument("--cases-per-partnership", type=int, default=CASES_PER_PARTNERSHIP,
                            help="Cases per partnership (67, today's national scale, by default; "
                            "670 is ten times national scale).")

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
            self._cases_and_clocks(partnerships, rng, today, per_partnership)
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
                for name in wanted
                if name not in existing
            ]
        )
        users = {u.username: u for u in User.objects.filter(username__in=wanted)}
        Membership.objects.bulk_create(
            [Membership(user=users[name], partnership=p, role=role) for name, (p, role) in wanted.items()],
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
                        outcome=rng.choice(["died", "seriously_harmed"]),
                        incident_date=incident,
                        child_initials="X.Y.",
                        child_age_years=rng.randrange(0, 18),
                    )
                )
        Case.objects.bulk_create(cases, batch_size=BATCH)
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
