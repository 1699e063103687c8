"""National scale: grow the demo data to Great Britain's size on PostgreSQL and measure Liaison against it.

Run with `make bench-national`. Scale (issue "National scale"): 400 LAs, 100 districts, 150 boards, 100,000 issues
with about half a million timeline steps and as many events, and a million monitoring samples over six years.

1. A database of its own (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/liaison_bench) is made
   afresh, migrated and given the demo data, then grown with bulk inserts in batches (a few minutes). `--reuse` keeps
   a database already grown; `--scale 0.1` grows a tenth of it, to try the script quickly.
2. Each page is fetched for gpt, erm and la-manager through Django's test client (middleware, sessions, templates:
   all of it), after a warm-up, and timed as the median of eleven runs, each just after a run of a bare Django view
   listing the same number of rows of the same table in the same process (so both are timed under the same load
   on a shared machine); the ratio of the medians is the figure. Query counts are printed too.
3. The deadline scan runs twice (wall time and queries), the CSV export is timed to its first byte and to its end,
   and the index PDF is timed.

It prints a table and exits with 1 when a budget is missed. Timings live here, never in the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
# Emails go to a real broker as in production, so the scan is timed without the worker's sending; the queue is
# emptied afterwards (nothing is sent from a bench).
os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")

TARGET = {
    "districts": 100,
    "authorities": 400,
    "boards": 150,
    "issues": 100_000,
    "samples": 1_000_000,
}
YEARS = 6
BATCH = 5_000
RUNS = 5
# Runs before the timed ones: a prepared statement's sixth run is the first that may use a generic plan.
WARM_UP_RUNS = 7
SEED = 2026

# Budgets (issue "National scale").
LIST_RATIO = 1.5
AGGREGATE_RATIO = 3.0
DETAIL_RATIO = 2.0
SCAN_SECONDS = 10.0
CSV_FIRST_BYTE = 1.0
CSV_WHOLE = 10.0
PDF_SECONDS = 2.0
MI_SECONDS = 1.0
UPLOAD_SECONDS = 5.0


def vacuum() -> None:
    """The tables as autovacuum keeps them in production: statistics current and the visibility map set, so that
    the planner's estimates and index-only scans are those of a live service, not of freshly written pages."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- growing the data --------------------------------------------------------------------------------------------


def chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk(model, rows) -> list:
    made = []
    for part in chunks(rows):
        made.extend(model.objects.bulk_create(part, batch_size=BATCH))
    return made


class Grower:
    """Grows the demo to national scale with realistic spreads: most issues closed, open ones at every level,
    samples spread over six years of exercises. Bulk inserts skip signals, so model history is left to the demo's
    own rows; events are written for every timeline step, as the services would."""

    def __init__(self, scale: float):
        self.scale = scale
        self.rng = random.Random(SEED)
        self.today = datetime.date.today()
        self.now = datetime.datetime.now(datetime.UTC)

    def n(self, key: str) -> int:
        return max(1, int(TARGET[key] * self.scale))

    def run(self) -> None:
        began = time.perf_counter()
        self.network()
        self.issues()
        self.boards()
        self.monitoring()
        self.figures()
        log(f"grown in {time.perf_counter() - began:.0f} s")

    def network(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        from liaison.models import Contact, ContactRole, District, LocalAuthority, Region, Role, RoleAssignment

        rng = self.rng
        regions = list(Region.objects.all())
        existing = District.objects.count()
        districts = [
            District(
                code=f"bench-district-{n}",
                name=f"Bench District {n}",
                region=regions[n % len(regions)],
                managed_by_region=n % 20 == 0,
            )
            for n in range(max(0, self.n("districts") - existing))
        ]
        bulk(District, districts)
        districts = list(District.objects.select_related("region"))
        existing = LocalAuthority.objects.count()
        authorities = []
        links = []
        for n in range(max(0, self.n("authorities") - existing)):
            district = districts[n % len(districts)]
            nation = district.region.nation
            letter = {"ENG": "E", "WLS": "W", "SCT": "S", "NIR": "N"}[nation]
            authorities.append(LocalAuthority(gss_code=f"{letter}9{n:07d}", name=f"Bench Authority {n}", nation=nation))
        authorities = bulk(LocalAuthority, authorities)
        through = LocalAuthority.districts.through
        for n, authority in enumerate(authorities):
            links.append(through(localauthority_id=authority.pk, district_id=districts[n % len(districts)].pk))
            if n % 10 == 0:  # some straddle two districts
                links.append(
                    through(localauthority_id=authority.pk, district_id=districts[(n + 1) % len(districts)].pk)
                )
        bulk(through, links)
        log(f"network: {len(districts)} districts, {LocalAuthority.objects.count()} LAs")

        roles = {r.code: r for r in ContactRole.objects.all()}
        contacts = []
        for district in districts:
            if district.code.startswith("bench-"):
                for code in ("district-erm", "district-manager", "district-performance-manager"):
                    contacts.append(
                        Contact(
                            name=f"{roles[code].name} {district.name}",
                            role=roles[code],
                            district=district,
                            email=f"{code}.{district.code}@dwp.example",
                            last_confirmed=self.today,
                        )
                    )
        for authority in authorities:
            for code in ("housing-benefit-manager", "nominated-contact"):
                contacts.append(
                    Contact(
                        name=f"{roles[code].name} {authority.name}",
                        role=roles[code],
                        local_authority=authority,
                        email=f"{code}.{authority.gss_code}@la.example",
                        last_confirmed=self.today,
                    )
                )
        bulk(Contact, contacts)

        User = get_user_model()
        password = make_password("liaison")
        users, assignments = [], []
        for district in districts:
            if district.code.startswith("bench-"):
                users.append(
                    User(username=f"erm-{district.code}", password=password, email=f"{district.code}@x.example")
                )
        users = bulk(User, users)
        by_name = {d.code: d for d in districts}
        for user in users:
            assignments.append(RoleAssignment(user=user, role=Role.ERM, district=by_name[user.username[4:]]))
        bulk(RoleAssignment, assignments)
        rng.shuffle(districts)

    def issues(self) -> None:
        from django.contrib.auth import get_user_model

        from escalation.models import Direction, Issue, IssueStep, Level, Status, StepKind
        from liaison.models import Contact, District, Event, IssueCategory, Role, RoleAssignment

        rng = self.rng
        creator = get_user_model().objects.get(username="erm")
        # Each district's issues are raised and recorded by its own ERM (the demo's where it has one), as in life:
        # one person raising every issue in the country would make "raised by me" a national list.
        erm_of = {}
        for assignment in RoleAssignment.objects.filter(role=Role.ERM, district__isnull=False).order_by("pk"):
            erm_of.setdefault(assignment.district_id, assignment.user_id)
        categories = list(IssueCategory.objects.all())
        district_authorities = {}
        for district in District.objects.prefetch_related("local_authorities"):
            authorities = list(district.local_authorities.all())
            if authorities:
                district_authorities[district] = authorities
        districts = list(district_authorities)
        originators = {c.local_authority_id: c for c in Contact.objects.filter(local_authority__isnull=False)}
        operational = {c.district_id: c for c in Contact.objects.filter(role__code="district-performance-manager")}
        open_levels = (
            [Level.OPERATIONAL] * 4 + [Level.DISTRICT_ERM] * 3 + [Level.REGIONAL_ERM] * 2 + [Level.ODN, Level.GPT]
        )
        span = YEARS * 365
        total = self.n("issues")
        made = 0
        while made < total:
            issues = []
            for _ in range(min(BATCH * 4, total - made)):
                district = rng.choice(districts)
                authority = rng.choice(district_authorities[district])
                raiser = erm_of.get(district.pk, creator.pk)
                created = self.now - datetime.timedelta(days=rng.random() ** 0.7 * span, minutes=rng.randrange(600))
                age = (self.now - created).days
                to_la = rng.random() < 0.1
                closed = age > 60 and rng.random() < 0.97 or age <= 60 and rng.random() < 0.4
                if to_la:
                    level = Level.OPERATIONAL if rng.random() < 0.7 else Level.LA_MANAGER
                else:
                    level = rng.choice(open_levels)
                resolved_at = created + datetime.timedelta(days=rng.randrange(1, 60)) if closed else None
                if resolved_at and resolved_at > self.now:
                    resolved_at = self.now
                status = (
                    Status.CLOSED if closed else rng.choice([Status.REFERRED, Status.IN_PROGRESS, Status.ESCALATED])
                )
                issues.append(
                    Issue(
                        title=f"{rng.choice(categories).name} at {authority.name}",
                        description="Claims forwarded late; both sides agreed to look at the routing.",
                        category=rng.choice(categories),
                        direction=Direction.TO_LA if to_la else Direction.TO_JCP,
                        district=district,
                        local_authority=authority,
                        originator=originators.get(authority.pk) or originators[next(iter(originators))],
                        operational_contact=operational.get(district.pk),
                        la_manager_role="la-benefits-manager" if level == Level.LA_MANAGER else "",
                        attempts_made=level != Level.OPERATIONAL,
                        level=level,
                        status=status,
                        level_since=resolved_at or created + datetime.timedelta(days=min(age, 3)),
                        outcome="Agreed a new routing." if closed else "",
                        resolved_at=resolved_at,
                        resolved_by_id=raiser if closed else None,
                        working_days_to_resolution=rng.randrange(1, 40) if closed else None,
                        closed_at=resolved_at + datetime.timedelta(hours=2) if closed else None,
                        created_at=created,
                        created_by_id=raiser,
                    )
                )
            issues = bulk(Issue, issues)
            steps, events = [], []
            for issue in issues:
                at = issue.created_at
                kinds = [StepKind.LOGGED, StepKind.REFERRED]
                kinds += [StepKind.UPDATE] * rng.randrange(0, 2)
                if issue.level not in (Level.OPERATIONAL, Level.LA_MANAGER):
                    kinds.append(StepKind.ESCALATED)
                if issue.status == Status.CLOSED:
                    kinds += [StepKind.RESOLVED, StepKind.COMMUNICATED]
                for kind in kinds:
                    at = at + datetime.timedelta(hours=rng.randrange(1, 72))
                    steps.append(
                        IssueStep(issue=issue, kind=kind, at=at, actor_id=issue.created_by_id, text="Recorded.")
                    )
                    events.append(
                        Event(
                            occurred_at=at,
                            kind=f"issue.{kind}",
                            actor_id=issue.created_by_id,
                            summary=f"ISS-{issue.pk:05d}: {kind}",
                            district_id=issue.district_id,
                            local_authority_id=issue.local_authority_id,
                            subject_type="escalation.issue",
                            subject_id=issue.pk,
                        )
                    )
            bulk(IssueStep, steps)
            bulk(Event, events)
            made += len(issues)
            log(f"issues: {made:,} of {total:,}")
        from escalation.services import resolution_tally_rebuild

        # Written in bulk, so counted as the services would have kept the count.
        resolution_tally_rebuild()

    def boards(self) -> None:
        from boards.models import Board, BoardStatus, Meeting, MeetingStatus
        from liaison.models import Contact, District

        rng = self.rng
        existing = Board.objects.count()
        districts = list(District.objects.prefetch_related("local_authorities").order_by("pk"))
        chairs = {c.district_id: c for c in Contact.objects.filter(role__code="district-manager")}
        erms = {c.district_id: c for c in Contact.objects.filter(role__code="district-erm")}
        la_chairs = {c.local_authority_id: c for c in Contact.objects.filter(role__code="housing-benefit-manager")}
        boards, plans = [], []
        for n in range(max(0, self.n("boards") - existing)):
            district = districts[n % len(districts)]
            authorities = list(district.local_authorities.all())
            if not authorities or district.pk not in chairs:
                continue
            board = Board(
                title=f"{district.name} Joint Board {n}",
                jcp_chair=chairs[district.pk],
                la_chair=la_chairs.get(authorities[0].pk),
                erm=erms.get(district.pk),
                status=BoardStatus.ACTIVE,
                established_on=self.today - datetime.timedelta(days=YEARS * 365),
            )
            boards.append(board)
            plans.append((board, district, authorities))
        bulk(Board, boards)
        d_through, la_through = Board.districts.through, Board.local_authorities.through
        bulk(d_through, [d_through(board_id=b.pk, district_id=d.pk) for b, d, _ in plans])
        bulk(la_through, [la_through(board_id=b.pk, localauthority_id=a.pk) for b, _, las in plans for a in las])
        meetings = []
        for board, _, _ in plans:
            for half in range(YEARS * 2):
                day = self.today - datetime.timedelta(days=half * 182 + rng.randrange(60))
                meetings.append(Meeting(board=board, date=day, status=MeetingStatus.HELD, location="Bench office"))
        bulk(Meeting, meetings)
        log(f"boards: {Board.objects.count()}, meetings: {Meeting.objects.count():,}")

    def figures(self) -> None:
        """Eight quarters of every LA's and district's figures for every measure, with a spread and a drift; the
        latest quarter a few short, as at the end of a real quarter."""
        from django.contrib.auth import get_user_model

        from liaison.models import District, LocalAuthority
        from mi.models import Figure, Measure
        from mi.periods import Quarter

        rng = self.rng
        user = get_user_model().objects.get(username="gpt")
        quarters = Quarter.last_complete(self.today).back(8)
        authorities = list(LocalAuthority.objects.values_list("pk", flat=True))
        districts = list(District.objects.values_list("pk", flat=True))
        rows = []
        for measure in Measure.objects.all():
            organisations = authorities if measure.side == "la" else districts
            for org in organisations:
                base = rng.uniform(12, 35) if measure.unit == "days" else rng.uniform(75, 99)
                for index, quarter in enumerate(quarters):
                    if index == len(quarters) - 1 and rng.random() < 0.05:
                        continue
                    drift = (index - 4) * (-0.4 if measure.unit == "days" else 0.3)
                    value = min(100.0, max(0.0, base + drift + rng.uniform(-2, 2)))
                    key = {"local_authority_id": org} if measure.side == "la" else {"district_id": org}
                    rows.append(
                        Figure(measure=measure, quarter_start=quarter.start, value=round(value, 1), entered_by=user,
                               **key)
                    )  # fmt: skip
        for part in chunks(rows):
            Figure.objects.bulk_create(part, ignore_conflicts=True)
        log(f"figures: {Figure.objects.count():,} over {len(quarters)} quarters")

    def monitoring(self) -> None:
        from django.contrib.auth import get_user_model

        from boards.models import Board
        from monitoring.models import Area, Exercise, Plan, Sample, Standard, StandardKind, period_start

        rng = self.rng
        monitor = get_user_model().objects.get(username="erm")
        standards = list(Standard.objects.filter(board__isnull=True).exclude(kind=StandardKind.ATTESTATION))
        boards = list(Board.objects.filter(title__contains=" Joint Board ").prefetch_related("local_authorities"))
        starts = sorted({period_start(self.today - datetime.timedelta(days=182 * k)) for k in range(1, YEARS * 2)})
        plans = bulk(Plan, [Plan(board=b, period_start=s, confirmed_at=self.now) for b in boards for s in starts])
        areas = bulk(
            Area,
            [
                Area(plan=plan, standard=standard, local_risk="Claims late at the BDC", monitor=monitor)
                for plan in plans
                for standard in rng.sample(standards, 3)
            ],
        )
        board_authorities = {b.pk: list(b.local_authorities.all()) for b in boards}
        count = sum(len(board_authorities[area.plan.board_id]) for area in areas)
        per_exercise = max(1, self.n("samples") // max(1, count))
        exercises = []
        for area in areas:
            for authority in board_authorities[area.plan.board_id]:
                sampled_from = area.plan.period_start
                sampled_to = sampled_from + datetime.timedelta(days=150)
                # Completed three weeks after the sampled period; a period that ended since is still being sampled.
                done = sampled_to + datetime.timedelta(days=21)
                exercises.append(
                    Exercise(
                        area=area,
                        local_authority=authority,
                        sampled_from=sampled_from,
                        sampled_to=sampled_to,
                        # 2.5% of the throughput is the sample size (PA annex 4): sampled in full.
                        throughput=per_exercise * 40,
                        proposed_size=per_exercise,
                        required_size=per_exercise,
                        completed_at=(
                            datetime.datetime.combine(done, datetime.time(12), tzinfo=datetime.UTC)
                            if done < self.today
                            else None
                        ),
                        created_by=monitor,
                    )
                )
        exercises = bulk(Exercise, exercises)
        compliance = {s.pk for s in standards if s.kind == StandardKind.COMPLIANCE}
        standard_of = {a.pk: a.standard_id for a in areas}
        samples, written = [], 0
        for exercise in exercises:
            is_compliance = standard_of[exercise.area_id] in compliance
            for k in range(per_exercise):
                start = exercise.sampled_from + datetime.timedelta(days=k % 140)
                days = rng.randrange(0, 25)
                samples.append(
                    Sample(
                        exercise=exercise,
                        case_reference=f"HB{exercise.pk}-{k}",
                        started_on=start,
                        ended_on=start + datetime.timedelta(days=days + days // 5 * 2),
                        working_days=days,
                        compliant=rng.random() < 0.9 if is_compliance else None,
                        created_by=monitor,
                    )
                )
            if len(samples) >= BATCH * 10:
                Sample.objects.bulk_create(samples, batch_size=BATCH)
                written += len(samples)
                samples = []
                log(f"samples: {written:,}")
        Sample.objects.bulk_create(samples, batch_size=BATCH)
        log(f"monitoring: {len(plans):,} plans, {len(exercises):,} exercises, {Sample.objects.count():,} samples")


# --- measuring ---------------------------------------------------------------------------------------------------


def timed(call, runs=RUNS) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_up(call)
    took = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call()
            if hasattr(response, "streaming_content"):
                for _ in response.streaming_content:
                    pass
            took.append(time.perf_counter() - began)
        queries = len(captured)
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise SystemExit(f"{call} answered {status}")
    return statistics.median(took), queries


def warm_up(call) -> None:
    """As a worker that has served a while: templates, caches and the database's buffers warm, and each repeated
    statement past the five runs PostgreSQL plans afresh before it keeps a prepared statement's generic plan
    (liaison/prepared.py)."""
    for _ in range(WARM_UP_RUNS):
        call()


def timed_beside(call, yardstick, runs=2 * RUNS + 1) -> tuple[float, float, int]:
    """`call` and its yardstick (the bare list) timed in turn, each the median of `runs`: on a shared machine whose
    speed drifts over a run, the two are measured under the same conditions, so their ratio does not drift."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_up(call)
    warm_up(yardstick)
    took, bare_took = [], []
    queries = 0
    for _ in range(runs):
        began = time.perf_counter()
        yardstick()
        bare_took.append(time.perf_counter() - began)
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call()
            took.append(time.perf_counter() - began)
        queries = len(captured)
        if response.status_code != 200:
            raise SystemExit(f"{call} answered {response.status_code}")
    return statistics.median(took), statistics.median(bare_took), queries


class Row:
    def __init__(self, what, user, seconds, queries, budget_text, ok, ratio=None):
        self.what, self.user, self.seconds, self.queries = what, user, seconds, queries
        self.budget_text, self.ok, self.ratio = budget_text, ok, ratio

    def __str__(self):
        ratio = f"{self.ratio:5.1f}×" if self.ratio is not None else "   —  "
        verdict = "ok" if self.ok else "OVER"
        return (
            f"| {self.what:<34} | {self.user:<10} | {self.seconds * 1000:8.0f} ms | {ratio} | {self.queries:4d} "
            f"| {self.budget_text:<13} | {verdict:<4} |"
        )


def measure(only: str = "") -> list[Row]:
    from django.test import Client

    from boards.models import Board
    from escalation.models import Issue
    from liaison.alerts import scan_deadlines

    rows: list[Row] = []
    clients = {}
    for username in ("gpt", "erm", "la-manager"):
        client = Client()
        assert client.login(username=username, password="liaison"), username
        clients[username] = client

    def bare(kind: str, rows_shown: int):
        return lambda: clients["gpt"].get(f"/bench/bare/{kind}/", {"n": rows_shown})

    issue = Issue.objects.filter(district__code="greater-manchester-central").order_by("-pk").first()
    board = Board.objects.filter(districts__code="greater-manchester-central").order_by("pk").first()
    pages = [
        # (path, users, bare kind, rows the page shows, budget ratio)
        ("/", ("gpt", "erm", "la-manager"), "issues", 20, LIST_RATIO),
        ("/issues/", ("gpt", "erm", "la-manager"), "issues", 50, LIST_RATIO),
        ("/issues/queue/", ("gpt", "erm"), "issues", 50, LIST_RATIO),
        ("/issues/national/", ("gpt",), "issues", 50, LIST_RATIO),
        ("/activity/", ("gpt", "erm", "la-manager"), "events", 50, LIST_RATIO),
        ("/boards/index/", ("gpt", "erm"), "boards", 50, LIST_RATIO),
        ("/contacts/", ("gpt", "erm", "la-manager"), "contacts", 50, LIST_RATIO),
        ("/monitoring/national/", ("gpt",), "samples", 50, AGGREGATE_RATIO),
        (issue.get_absolute_url(), ("erm",), "issue-detail", 10, DETAIL_RATIO),
        (board.get_absolute_url(), ("erm",), "board-detail", 10, DETAIL_RATIO),
    ]
    if only:
        pages = [page for page in pages if page[0].startswith(only)]
    for path, users, kind, shown, ratio in pages:
        for user in users:
            seconds, bare_seconds, queries = timed_beside(lambda p=path, u=user: clients[u].get(p), bare(kind, shown))
            r = seconds / bare_seconds
            rows.append(Row(path[:34], user, seconds, queries, f"≤ {ratio}× bare", r <= ratio, r))
            log(
                f"{path} as {user}: {seconds * 1000:.0f} ms, {r:.1f}× the bare list's {bare_seconds * 1000:.1f} ms, "
                f"{queries} queries"
            )

    # Management information (issue "Management information"): each under a second at national scale.
    mi_pages = [
        ("/mi/", "gpt"),
        ("/mi/export.csv", "gpt"),
        ("/mi/export.xlsx", "gpt"),
        (f"/boards/{board.pk}/mi/", "erm"),
        (f"/boards/{board.pk}/mi/?period=since-last-meeting", "erm"),
    ]
    for path, user in mi_pages:
        if only and not path.startswith(only):
            continue
        seconds, queries = timed(lambda p=path, u=user: clients[u].get(p))
        rows.append(Row(path[:34], user, seconds, queries, f"< {MI_SECONDS:.0f} s", seconds < MI_SECONDS))
        log(f"{path} as {user}: {seconds * 1000:.0f} ms, {queries} queries")

    if only:
        return rows
    # Exports: the CSV's first byte and its whole; the index PDF.
    began = time.perf_counter()
    response = clients["gpt"].get("/issues/export.csv")
    stream = iter(response.streaming_content) if response.streaming else iter([response.content])
    next(stream)
    first = time.perf_counter() - began
    for _ in stream:
        pass
    whole = time.perf_counter() - began
    rows.append(
        Row("/issues/export.csv first byte", "gpt", first, 0, f"< {CSV_FIRST_BYTE:.0f} s", first < CSV_FIRST_BYTE)
    )
    rows.append(Row("/issues/export.csv whole", "gpt", whole, 0, f"< {CSV_WHOLE:.0f} s", whole < CSV_WHOLE))
    # Laid out afresh (the cache emptied first, WeasyPrint already imported), then as served again unchanged.
    from django.core.cache import cache

    clients["gpt"].get("/bench/bare/issues/", {"n": 1})
    from weasyprint import HTML  # noqa: F401 - imported before the clock starts, as in a warm worker

    cache.clear()
    began = time.perf_counter()
    clients["gpt"].get("/boards/index/export.pdf")
    cold = time.perf_counter() - began
    rows.append(Row("/boards/index/export.pdf laid out", "gpt", cold, 0, f"< {PDF_SECONDS:.0f} s", cold < PDF_SECONDS))
    seconds, queries = timed(lambda: clients["gpt"].get("/boards/index/export.pdf"), runs=3)
    rows.append(
        Row(
            "/boards/index/export.pdf unchanged",
            "gpt",
            seconds,
            queries,
            f"< {PDF_SECONDS:.0f} s",
            seconds < PDF_SECONDS,
        )
    )

    rows.append(upload_into_national())

    from django.db import connection

    from liaison.celery import app as celery_app

    # Counted by a wrapper: Django's own query log keeps only the last 9,000.
    executed = [0]

    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    for run in ("first", "second"):
        executed[0] = 0
        with connection.execute_wrapper(count):
            began = time.perf_counter()
            result = scan_deadlines()
            seconds = time.perf_counter() - began
        celery_app.control.purge()
        rows.append(
            Row(
                f"scan_deadlines ({run} run)",
                "—",
                seconds,
                executed[0],
                f"≤ {SCAN_SECONDS:.0f} s",
                seconds <= SCAN_SECONDS,
            )
        )
        log(
            f"scan_deadlines {run} run: {seconds:.1f} s, {executed[0]} queries, {result.raised} raised, "
            f"{result.cleared} cleared, {result.still_open} still open, {result.emails} emails queued"
        )
    return rows


def upload_into_national(runs: int = 3) -> Row:
    """The 10,000-row sample file (bench/uploads.py) through the upload page into an open exercise of this
    database, as the monitor named on its area. Each run is rolled back, so the database keeps its size."""
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from bench.uploads import ROWS, sample_file
    from monitoring.models import Exercise, StandardKind

    exercise = (
        Exercise.objects.filter(
            completed_at__isnull=True,
            area__monitor__isnull=False,
            area__standard__kind=StandardKind.TIMELINESS,
            area__plan__board__case_reference_shape__isnull=True,
        )
        .select_related("area__monitor")
        .order_by("pk")
        .first()
    )
    if exercise is None:
        raise SystemExit("no open timeliness exercise with a named monitor to upload into: load the demo first")
    client = Client()
    client.force_login(exercise.area.monitor)
    took = []
    for _ in range(runs):
        with transaction.atomic():
            began = time.perf_counter()
            response = client.post(
                reverse("monitoring:exercise-upload", args=[exercise.pk]), {"file": sample_file("csv")}
            )
            took.append(time.perf_counter() - began)
            saved = exercise.samples.count()
            transaction.set_rollback(True)
        if response.status_code != 302 or saved < ROWS:
            raise SystemExit(f"the upload failed: status {response.status_code}, {saved} samples in the exercise")
    seconds = statistics.median(took)
    log(f"upload of {ROWS:,} samples: {seconds:.2f} s (runs: {', '.join(f'{t:.2f}' for t in took)})")
    return Row(f"{ROWS:,}-row sample upload (CSV)", exercise.area.monitor.username[:10], seconds, 0,
               f"≤ {UPLOAD_SECONDS:.0f} s", seconds <= UPLOAD_SECONDS)  # fmt: skip


LOAD_PAGES = ["/", "/issues/", "/boards/index/"]
LOAD_SHARE = 2 / 3
GUNICORN_WORKERS = 3


def load_run(*, seconds: float, clients: int) -> list[Row]:
    """Liaison under gunicorn on loopback: `clients` signed-in clients, each asking for its next page as soon as the
    last one came (closed loop), for `seconds` per page, beside the bare list under the same load. On 2 cores the
    latency of 50 closed-loop clients is set by throughput, so requests per second are compared."""
    import http.client
    import socket
    import subprocess
    import threading

    from django.conf import settings
    from django.test import Client

    signed_in = Client()
    assert signed_in.login(username="erm", password="liaison")
    cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in.cookies[settings.SESSION_COOKIE_NAME].value}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "liaison.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        # Each worker keeps its database connection between requests, as production's do (production.py).
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "CONN_MAX_AGE": "60"},
    )
    try:
        _wait_for(port)

        def hammer(path: str) -> tuple[float, list[float], int]:
            took: list[float] = []
            errors = [0]
            stop = time.perf_counter() + seconds
            lock = threading.Lock()

            def one_client():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                while time.perf_counter() < stop:
                    began = time.perf_counter()
                    try:
                        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                        response = conn.getresponse()
                        response.read()
                        ok = response.status == 200
                    except (OSError, http.client.HTTPException):
                        ok = False
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    with lock:
                        if ok:
                            took.append(time.perf_counter() - began)
                        else:
                            errors[0] += 1
                conn.close()

            threads = [threading.Thread(target=one_client) for _ in range(clients)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return len(took) / (time.perf_counter() - began), sorted(took), errors[0]

        hammer("/bench/bare/issues/?n=50")  # warm every worker
        bare_rps, _, bare_errors = hammer("/bench/bare/issues/?n=50")
        log(f"load: bare list {bare_rps:.0f} requests/s, {bare_errors} errors")
        rows = []
        for path in LOAD_PAGES:
            rps, took, errors = hammer(path)
            p50, p95, p99 = (took[int(len(took) * q)] if took else 0 for q in (0.5, 0.95, 0.99))
            share = rps / bare_rps if bare_rps else 0
            log(
                f"load {path}: {rps:.0f} requests/s ({share:.0%} of bare), p50 {p50 * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, {errors} errors"
            )
            rows.append(
                Row(
                    f"load {clients} clients {path}"[:34],
                    "erm",
                    p50,
                    errors,
                    f"≥ {LOAD_SHARE:.0%} bare rps",
                    errors == 0 and share >= LOAD_SHARE,
                    share,
                )
            )
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(port: int) -> None:
    import socket

    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the national scale to grow (default 1)")
    parser.add_argument("--reuse", action="store_true", help="keep a database already grown by an earlier run")
    parser.add_argument("--only", default="", help="measure only the pages whose address starts with this")
    parser.add_argument("--load-seconds", type=float, default=30, help="length of each load run (0: none)")
    parser.add_argument("--load-clients", type=int, default=50, help="concurrent clients in the load run")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench-national measures on PostgreSQL: set BENCH_DATABASE_URL to a postgres:// address")
        return 2
    name = settings.DATABASES["default"]["NAME"]
    from escalation.models import Issue

    grown = False
    if args.reuse:
        try:
            grown = Issue.objects.count() >= TARGET["issues"] * args.scale * 0.9
        except Exception:  # noqa: BLE001 - no database yet: make it below
            connection.close()
    if grown:
        call_command("migrate", verbosity=0)
        from mi.models import Figure

        if not Figure.objects.filter(district__isnull=False).count() > 500 * args.scale:
            Grower(args.scale).figures()
    if not grown:
        log(f"making database {name} afresh")
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0)
        call_command("load_demo", "--no-scan", verbosity=0)
        log("demo loaded; growing it")
        Grower(args.scale).run()
    vacuum()
    try:
        rows = measure(args.only)
        if not args.only and args.load_seconds > 0:
            rows += load_run(seconds=args.load_seconds, clients=args.load_clients)
    finally:
        connection.close()
    print()
    print(
        f"Liaison at national scale ({args.scale:g}×), PostgreSQL, {os.cpu_count()} cores, "
        f"{datetime.date.today():%-d %B %Y}"
    )
    print("| what                               | user       |      median | ratio  | qrys | budget        |      |")
    print("| ---------------------------------- | ---------- | ----------- | ------ | ---- | ------------- | ---- |")
    for row in rows:
        print(row)
    missed = [row for row in rows if not row.ok]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} within budget")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
