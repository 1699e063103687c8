"""Demo issues at every level and state, both ways, some stalled, so that every demo user has a queue.

Each issue is played through the services with its real dates, so its timeline is what a user would have made.
Safe to run again: a story is keyed on its issue's original title, read from the issue history, so an issue a
user has since renamed, moved on or deleted is left as they left it and never logged a second time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from escalation import services
from escalation.models import Direction, Issue, NationalDirectorate, Source
from liaison.demo import register_demo_loader
from liaison.models import Contact, District, IssueCategory, LocalAuthority, Role

GMC = "greater-manchester-central"
DIRECTORATES = [
    "Benefit Delivery Centres Directorate",
    "Contact Centre Directorate",
    "Fraud Investigation Service",
    "Working Age Benefits Directorate",
]
MANCHESTER, SALFORD = "E08000003", "E08000006"


@dataclass
class Story:
    """One demo issue: how it was logged (days ago) and what happened to it after, step by step."""

    title: str
    logged_by: str
    days_ago: int
    category: str
    description: str
    direction: str = Direction.TO_JCP
    district: str = GMC
    authority: str = MANCHESTER
    originator: tuple[str, str] = (MANCHESTER, "housing-benefit-manager")
    tried: str = ""
    source: str = Source.DAY_TO_DAY
    contact: tuple[str, str] | None = None
    la_manager_role: str = ""
    # (days ago, username, action, text[, extra keyword arguments])
    steps: list[tuple] = field(default_factory=list)


STORIES = [
    Story(
        "Change of circumstances not reaching Manchester",
        "la-manager",
        2,
        "change-of-circumstances-not-received",
        "Customers tell us they reported moving in with a partner at the Jobcentre; we never hear of it.",
    ),
    Story(
        "Joint Board actions on clearance times not followed up",
        "erm",
        3,
        "new-claims-delay",
        "Two actions from the last Joint Board on new claims clearance have no update.",
        source=Source.JOINT_BOARD,
        contact=(GMC, "district-manager"),
    ),
    Story(
        "New claims from Arndale Jobcentre arriving late",
        "la-manager",
        30,
        "new-claims-delay",
        "New claims take 3 weeks to reach the LA, hurting our clearance times.",
        tried="Two calls and an email to the District Performance Manager in March.",
    ),
    Story(
        "CMS output missing partner details",
        "erm",
        20,
        "cms-output-incomplete",
        "Customer Management System output arrives without the partner's details.",
        tried="The Contact Centre Manager checked the scripts; the gap is in the national template.",
        steps=[(5, "erm", "escalate", "The template is set regionally.")],
    ),
    Story(
        "Fraud referrals unanswered in Salford",
        "erm",
        60,
        "fraud-contact",
        "Salford's fraud team cannot get an answer from anyone in Jobcentre Plus about referrals.",
        authority=SALFORD,
        originator=(SALFORD, "fraud-manager"),
        tried="The Fraud Investigation Service mailbox was written to three times.",
        steps=[
            (50, "erm", "escalate", "The FIS team says it is a capacity problem across the region."),
            (40, "regional-erm", "escalate", "Capacity is set nationally."),
            (35, "odn", "gateway", "FIS capacity in the region.", {"directorate": "Fraud Investigation Service"}),
        ],
    ),
    Story(
        "NINO applications not passed to the Nominated Officer",
        "la-manager",
        45,
        "nino-applied-for",
        "Customers who applied for a NINO at the Jobcentre wait months; the LA cannot pay Housing Benefit.",
        tried="The Nominated Officer post is vacant; the Jobcentre manager could not help.",
        contact=(GMC, "district-manager"),
        steps=[
            (40, "erm", "escalate", "The vacancy needs the region to cover it."),
            (30, "regional-erm", "escalate", "Every district in the region has the same gap."),
            (20, "odn", "escalate", "Needs national guidance on NINO traces while posts are vacant."),
        ],
    ),
    Story(
        "Legacy JRB item: shared data sharing protocol",
        "admin",
        25,
        "cms-output-incomplete",
        "Outstanding from the final Joint Regional Board: a data sharing protocol for CMS output.",
        source=Source.LEGACY_JRB,
        tried="On the JRB's agenda for two meetings without agreement.",
    ),
    Story(
        "Backdated claims missing start dates",
        "erm",
        15,
        "new-claims-delay",
        "Backdated claims arrive without the date the customer first claimed.",
        tried="The District Performance Manager fixed the checklist.",
        steps=[(8, "erm", "resolve", "The BDC checklist now includes the first contact date.")],
    ),
    Story(
        "Trafford customers sent to the wrong office",
        "erm",
        40,
        "customer-already-contacted-by-compliance",
        "Customers under LA investigation had already been seen by Customer Compliance.",
        authority="E08000009",
        originator=("E08000009", "fraud-manager"),
        tried="Spoke to the Customer Compliance Manager.",
        steps=[
            (35, "erm", "resolve", "Compliance and the LA now check each other's lists weekly."),
            (34, "erm", "communicate", "Thank you for raising this."),
        ],
    ),
    Story(
        "Rent officer referrals duplicated",
        "la-manager",
        50,
        "change-of-circumstances-not-received",
        "Changes are sent twice, once by post and once by secure email.",
        tried="The Benefit Processing Manager was asked to stop the paper copies.",
        steps=[
            (45, "erm", "escalate", "Paper copies are a regional process."),
            (30, "regional-erm", "resolve", "Paper copies stopped across the region."),
            (29, "regional-erm", "communicate", ""),
            (3, "la-manager", "reopen", "Paper copies started again this month."),
        ],
    ),
    Story(
        "Overpayment decisions not copied to Jobcentre Plus",
        "district-manager",
        4,
        "change-of-circumstances-not-received",
        "The LA's overpayment decisions on joint cases do not reach the BDC.",
        direction=Direction.TO_LA,
        originator=(GMC, "benefit-processing-manager"),
    ),
    Story(
        "LA input documents returned late (monitoring sample)",
        "monitor",
        6,
        "new-claims-delay",
        "The ADM-1 sample shows LA input documents taking 6 days against 2.",
        direction=Direction.TO_LA,
        originator=(GMC, "district-performance-manager"),
        tried="The LA's nominated contact agreed to look into it but nothing changed.",
        la_manager_role=Role.LA_BENEFITS_MANAGER,
    ),
    Story(
        "Joint fraud visits cancelled at short notice",
        "erm",
        9,
        "fraud-contact",
        "Three joint visits were cancelled by the LA on the morning.",
        direction=Direction.TO_LA,
        originator=(GMC, "fraud-investigation-service"),
        tried="The FIS team raised it with the LA's nominated contact.",
        la_manager_role=Role.LA_FRAUD_MANAGER,
    ),
    Story(
        "Conwy claims delayed at Llandudno",
        "regional-erm-wales",
        35,
        "new-claims-delay",
        "New claims from Llandudno Jobcentre reach Conwy late.",
        district="north-and-mid-wales",
        authority="W06000003",
        originator=("W06000003", "housing-benefit-manager"),
        tried="Calls to the district performance manager.",
    ),
]


def _contact(key: tuple[str, str]) -> Contact:
    scope, role = key
    return (
        Contact.objects.active()
        .filter(role__code=role)
        .filter(**({"district__code": scope} if "-" in scope else {"local_authority__gss_code": scope}))
        .order_by("pk")
        .first()
    )


def _play(story: Story, users: dict, now: datetime.datetime) -> Issue:
    def at(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    issue = services.issue_log(
        actor=users[story.logged_by],
        title=story.title,
        description=story.description,
        category=IssueCategory.objects.get(code=story.category),
        direction=story.direction,
        district=District.objects.get(code=story.district),
        local_authority=LocalAuthority.objects.get(gss_code=story.authority),
        originator=_contact(story.originator),
        source=story.source,
        attempts_made=bool(story.tried),
        attempts_detail=story.tried,
        operational_contact=_contact(story.contact) if story.contact else None,
        la_manager_role=story.la_manager_role,
        at=at(story.days_ago),
    )
    for days, username, action, text, *extra in story.steps:
        kwargs = {"actor": users[username], "issue": issue, "version": issue.version, "at": at(days)}
        kwargs.update(extra[0] if extra else {})
        if action == "escalate":
            issue = services.issue_escalate(reason=text, **kwargs)
        elif action == "gateway":
            kwargs["directorate"] = NationalDirectorate.objects.get(name=kwargs["directorate"])
            issue = services.issue_gateway_refer(reason=text, **kwargs)
        elif action == "update":
            issue = services.issue_update_record(text=text, **kwargs)
        elif action == "resolve":
            issue = services.issue_resolve(outcome=text, **kwargs)
        elif action == "communicate":
            issue = services.issue_communicate_outcome(message=text, **kwargs)
        else:
            issue = services.issue_reopen(reason=text, **kwargs)
    return issue


@register_demo_loader(30, "escalation")
def load_issues(today: datetime.date) -> dict[str, int]:
    # Every title an issue has ever had, including deleted issues: a renamed demo issue is still the story's issue.
    existing = set(Issue.history.values_list("title", flat=True))
    users = {u.username: u for u in get_user_model().objects.all()}
    # A migration seeds the list; a database emptied since (as the browser tests do) gets it again. Keyed on every
    # name a directorate has had, so one the GPT renamed or retired is left as they left it.
    named = set(NationalDirectorate.history.values_list("name", flat=True)) | set(
        NationalDirectorate.objects.values_list("name", flat=True)
    )
    NationalDirectorate.objects.bulk_create([NationalDirectorate(name=n) for n in DIRECTORATES if n not in named])
    now = timezone.now()
    created = 0
    for story in STORIES:
        if story.title in existing:
            continue
        _play(story, users, now)
        created += 1
    return {"issues": created}
