"""Demo data: a realistic slice of Great Britain's liaison network and one user per role.

Loaded by `manage.py load_demo` (and `make run`); never in production. Safe to run again: nothing is duplicated
and nothing a user changed is overwritten.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liaison.models import Contact, ContactRole, District, LocalAuthority, Office, Region, Role
from liaison.reference import seed_reference_data
from liaison.services import role_assign

DemoLoader = Callable[[datetime.date], dict[str, int]]
_loaders: list[tuple[int, str, DemoLoader]] = []


def register_demo_loader(order: int, name: str) -> Callable[[DemoLoader], DemoLoader]:
    """Feature apps add their demo data after the core's (lower order first), from their AppConfig.ready."""

    def decorator(loader: DemoLoader) -> DemoLoader:
        if not any(existing == name for _, existing, _ in _loaders):
            _loaders.append((order, name, loader))
        return loader

    return decorator


# (code, name, nation)
REGIONS = [
    ("north-west", "North West", "ENG"),
    ("yorkshire-and-the-humber", "Yorkshire and the Humber", "ENG"),
    ("london", "London", "ENG"),
    ("wales", "Wales", "WLS"),
    ("scotland", "Scotland", "SCT"),
]

# (code, name, region code, relationship managed by the Country/Region ERM)
DISTRICTS = [
    ("greater-manchester-central", "Greater Manchester Central", "north-west", False),
    ("greater-manchester-east-and-west", "Greater Manchester East and West", "north-west", False),
    ("west-yorkshire", "West Yorkshire", "yorkshire-and-the-humber", False),
    ("south-london", "South London", "london", False),
    ("south-east-wales", "South East Wales", "wales", False),
    ("north-and-mid-wales", "North and Mid Wales", "wales", True),
    ("lanarkshire-and-east-dunbartonshire", "Lanarkshire and East Dunbartonshire", "scotland", False),
    ("edinburgh-lothian-and-borders", "Edinburgh, Lothian and Borders", "scotland", False),
]

# (GSS code, name, nation, district codes): real authorities; Salford straddles two districts.
LOCAL_AUTHORITIES = [
    ("E08000003", "Manchester", "ENG", ["greater-manchester-central"]),
    ("E08000006", "Salford", "ENG", ["greater-manchester-central", "greater-manchester-east-and-west"]),
    ("E08000009", "Trafford", "ENG", ["greater-manchester-central"]),
    ("E08000001", "Bolton", "ENG", ["greater-manchester-east-and-west"]),
    ("E08000010", "Wigan", "ENG", ["greater-manchester-east-and-west"]),
    ("E08000008", "Tameside", "ENG", ["greater-manchester-east-and-west"]),
    ("E08000035", "Leeds", "ENG", ["west-yorkshire"]),
    ("E08000032", "Bradford", "ENG", ["west-yorkshire"]),
    ("E08000036", "Wakefield", "ENG", ["west-yorkshire"]),
    ("E09000022", "Lambeth", "ENG", ["south-london"]),
    ("E09000028", "Southwark", "ENG", ["south-london"]),
    ("E09000023", "Lewisham", "ENG", ["south-london"]),
    ("W06000015", "Cardiff", "WLS", ["south-east-wales"]),
    ("W06000022", "Newport", "WLS", ["south-east-wales"]),
    ("W06000014", "Vale of Glamorgan", "WLS", ["south-east-wales"]),
    ("W06000003", "Conwy", "WLS", ["north-and-mid-wales"]),
    ("W06000002", "Gwynedd", "WLS", ["north-and-mid-wales"]),
    ("W06000006", "Wrexham", "WLS", ["north-and-mid-wales"]),
    ("S12000050", "North Lanarkshire", "SCT", ["lanarkshire-and-east-dunbartonshire"]),
    ("S12000029", "South Lanarkshire", "SCT", ["lanarkshire-and-east-dunbartonshire"]),
    ("S12000045", "East Dunbartonshire", "SCT", ["lanarkshire-and-east-dunbartonshire"]),
    ("S12000036", "City of Edinburgh", "SCT", ["edinburgh-lothian-and-borders"]),
    ("S12000040", "West Lothian", "SCT", ["edinburgh-lothian-and-borders"]),
    ("S12000026", "Scottish Borders", "SCT", ["edinburgh-lothian-and-borders"]),
]

# (district code, office name, kind)
OFFICES = [
    ("greater-manchester-central", "Manchester district office", "district-office"),
    ("greater-manchester-central", "Manchester Arndale Jobcentre", "jobcentre"),
    ("greater-manchester-central", "Manchester Benefit Delivery Centre", "bdc"),
    ("greater-manchester-central", "Manchester Contact Centre", "contact-centre"),
    ("greater-manchester-east-and-west", "Bolton district office", "district-office"),
    ("greater-manchester-east-and-west", "Wigan Benefit Delivery Centre", "bdc"),
    ("west-yorkshire", "Leeds district office", "district-office"),
    ("west-yorkshire", "Bradford Benefit Delivery Centre", "bdc"),
    ("south-london", "Lambeth district office", "district-office"),
    ("south-london", "Peckham Jobcentre", "jobcentre"),
    ("south-east-wales", "Cardiff district office", "district-office"),
    ("south-east-wales", "Newport Benefit Delivery Centre", "bdc"),
    ("north-and-mid-wales", "Llandudno Jobcentre", "jobcentre"),
    ("lanarkshire-and-east-dunbartonshire", "Motherwell district office", "district-office"),
    ("lanarkshire-and-east-dunbartonshire", "Hamilton Benefit Delivery Centre", "bdc"),
    ("edinburgh-lothian-and-borders", "Edinburgh district office", "district-office"),
    ("edinburgh-lothian-and-borders", "Edinburgh Benefit Delivery Centre", "bdc"),
]

# (username, first name, last name, role, scope kind, scope code)
DEMO_USERS = [
    ("erm", "Priya", "Shah", Role.ERM, "district", "greater-manchester-central"),
    ("district-manager", "David", "Okafor", Role.DISTRICT_MANAGER, "district", "greater-manchester-central"),
    ("la-manager", "Helen", "Brooks", Role.LA_BENEFITS_MANAGER, "authority", "E08000003"),
    ("monitor", "Tom", "Reilly", Role.MONITORING_OFFICER, "district", "greater-manchester-central"),
    ("regional-erm", "Fiona", "Campbell", Role.REGIONAL_ERM, "region", "north-west"),
    ("odn", "Graham", "Pike", Role.ODN, None, None),
    ("gpt", "Aisha", "Rahman", Role.GPT, None, None),
    ("admin", "Sam", "Ellis", Role.ADMIN, None, None),
    # Holders elsewhere, so that every district has someone to act on its alerts.
    ("erm-west-yorkshire", "Ian", "Hargreaves", Role.ERM, "district", "west-yorkshire"),
    ("erm-south-london", "Grace", "Adeyemi", Role.ERM, "district", "south-london"),
    ("erm-gm-east-west", "Karen", "Lowe", Role.ERM, "district", "greater-manchester-east-and-west"),
    ("erm-south-east-wales", "Rhys", "Evans", Role.ERM, "district", "south-east-wales"),
    ("regional-erm-wales", "Siân", "Pritchard", Role.REGIONAL_ERM, "region", "wales"),
    ("erm-lanarkshire", "Callum", "Reid", Role.ERM, "district", "lanarkshire-and-east-dunbartonshire"),
    ("erm-edinburgh", "Morag", "Stewart", Role.ERM, "district", "edinburgh-lothian-and-borders"),
    ("la-manager-salford", "Paul", "Whitaker", Role.LA_BENEFITS_MANAGER, "authority", "E08000006"),
    ("la-fraud-manchester", "Nadia", "Hussain", Role.LA_FRAUD_MANAGER, "authority", "E08000003"),
    # Manchester's nominated contact: the Greater Manchester board's LA secretariat and the monitor of its ADM-3.
    ("la-monitor", "Joanne", "Kerr", Role.LA_MONITORING_OFFICER, "authority", "E08000003"),
]

# Contacts who are also demo users: (district code or GSS code, contact role) -> username.
DEMO_PEOPLE = {
    ("greater-manchester-central", "district-erm"): "erm",
    ("greater-manchester-central", "district-manager"): "district-manager",
    ("E08000003", "housing-benefit-manager"): "la-manager",
    ("E08000003", "fraud-manager"): "la-fraud-manchester",
    ("E08000006", "housing-benefit-manager"): "la-manager-salford",
    ("E08000003", "nominated-contact"): "la-monitor",
    ("west-yorkshire", "district-erm"): "erm-west-yorkshire",
    ("south-london", "district-erm"): "erm-south-london",
}
_USER_NAMES = {username: (first, last) for username, first, last, *_ in DEMO_USERS}

FIRST_NAMES = [
    "Alison",
    "Ben",
    "Catherine",
    "Darren",
    "Eleanor",
    "Farhan",
    "Gemma",
    "Hamish",
    "Imran",
    "Jane",
    "Kevin",
    "Lorraine",
    "Mark",
    "Nicola",
    "Owen",
    "Pauline",
    "Rachel",
    "Stuart",
    "Tracey",
    "Usman",
    "Vicky",
    "Wendy",
    "Yusuf",
    "Zoe",
    "Andrew",
    "Bethan",
    "Craig",
    "Dawn",
    "Euan",
    "Fatima",
    "Gareth",
    "Heather",
]
LAST_NAMES = [
    "Ahmed",
    "Baxter",
    "Collins",
    "Davies",
    "Edwards",
    "Fraser",
    "Gallagher",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kerr",
    "Lloyd",
    "McDonald",
    "Nolan",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Sutherland",
    "Thomas",
    "Upton",
    "Vaughan",
    "Walsh",
    "Young",
    "Armstrong",
    "Bell",
    "Chowdhury",
    "Doyle",
    "Ellison",
    "Finch",
]

# Roles a district leaves empty in the demo, so that the "required role" check has something to show.
MISSING_ROLES = {"north-and-mid-wales": {"nominated-officer"}}
# Districts whose contacts were last confirmed long ago, so that the confirmation check has something to show.
STALE_DISTRICTS = {"greater-manchester-central", "south-london"}


def _names():
    yield from zip(itertools.cycle(FIRST_NAMES), itertools.cycle(LAST_NAMES), strict=False)


def _phone(seed: int, area: str) -> str:
    return f"{area} 496 {seed % 10000:04d}"


AREA_CODES = {"ENG": "0161", "WLS": "029", "SCT": "0131"}


@transaction.atomic
def load_demo(*, password: str | None = None, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo slice; returns how many rows of each kind it created."""
    if not getattr(settings, "LIAISON_ALLOW_DEMO_DATA", False):
        raise RuntimeError("Demo data is never loaded in production.")
    today = today or timezone.localdate()
    password = password or settings.DEMO_PASSWORD
    created = {"regions": 0, "districts": 0, "authorities": 0, "offices": 0, "contacts": 0, "users": 0}
    seed_reference_data()

    regions = {}
    for code, name, nation in REGIONS:
        regions[code], new = Region.objects.get_or_create(code=code, defaults={"name": name, "nation": nation})
        created["regions"] += new
    districts = {}
    for code, name, region, managed in DISTRICTS:
        districts[code], new = District.objects.get_or_create(
            code=code, defaults={"name": name, "region": regions[region], "managed_by_region": managed}
        )
        created["districts"] += new
    authorities = {}
    for gss, name, nation, district_codes in LOCAL_AUTHORITIES:
        authorities[gss], new = LocalAuthority.objects.get_or_create(
            gss_code=gss, defaults={"name": name, "nation": nation}
        )
        if new:
            authorities[gss].districts.set([districts[c] for c in district_codes])
        created["authorities"] += new
    offices = {}
    for district_code, name, kind in OFFICES:
        offices[name], new = Office.objects.get_or_create(
            district=districts[district_code], name=name, defaults={"kind": kind}
        )
        created["offices"] += new

    created["contacts"] += _load_contacts(districts, authorities, offices, today)
    created["users"] += _load_users(districts, regions, authorities, password)
    _link_people()
    for _, _, loader in sorted(_loaders, key=lambda item: (item[0], item[1])):
        for kind, count in loader(today).items():
            created[kind] = created.get(kind, 0) + count
    return created


def _link_people() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_PEOPLE.values())}
    for (scope, role_code), username in DEMO_PEOPLE.items():
        first, last = _USER_NAMES[username]
        Contact.objects.filter(
            Q(district__code=scope) | Q(local_authority__gss_code=scope),
            role__code=role_code,
            name=f"{first} {last}",
            user__isnull=True,
        ).update(user=users[username])


def _load_contacts(districts, authorities, offices, today) -> int:
    roles = {role.code: role for role in ContactRole.objects.all()}
    names = _names()
    # A role already filled in an organisation is left as it is, whatever users did to it since.
    existing = set(Contact.objects.values_list("role__code", "district__code", "local_authority__gss_code"))
    fresh = today - datetime.timedelta(days=40)
    stale = today - datetime.timedelta(days=250)
    new_contacts = []
    seed = 100
    for code, district in districts.items():
        nation = district.region.nation
        district_offices = [o for o in offices.values() if o.district_id == district.id]
        for role in (r for r in roles.values() if r.side == "jcp"):
            if role.code in MISSING_ROLES.get(code, set()):
                continue
            first, last = next(names)
            if (code, role.code) in DEMO_PEOPLE:
                first, last = _USER_NAMES[DEMO_PEOPLE[(code, role.code)]]
            name = f"{first} {last}"
            seed += 37
            if (role.code, code, None) in existing:
                continue
            office = next((o for o in district_offices if o.kind in _office_kinds(role.code)), None)
            new_contacts.append(
                Contact(
                    name=name,
                    job_title=role.name,
                    role=role,
                    district=district,
                    office=office,
                    phone=_phone(seed, AREA_CODES[nation]),
                    email=f"{first}.{last}@jcp.example.gov.uk".lower().replace("'", ""),
                    secure_email=True,
                    last_confirmed=stale if code in STALE_DISTRICTS and seed % 3 == 0 else fresh,
                    active_from=datetime.date(2007, 4, 1),
                )
            )
    for gss, authority in authorities.items():
        domain = authority.name.lower().replace(" ", "") + ".example.gov.uk"
        for role_code in ("housing-benefit-manager", "fraud-manager", "nominated-contact"):
            first, last = next(names)
            if (gss, role_code) in DEMO_PEOPLE:
                first, last = _USER_NAMES[DEMO_PEOPLE[(gss, role_code)]]
            name = f"{first} {last}"
            seed += 41
            if (role_code, None, gss) in existing:
                continue
            new_contacts.append(
                Contact(
                    name=name,
                    job_title=roles[role_code].name,
                    role=roles[role_code],
                    local_authority=authority,
                    phone=_phone(seed, AREA_CODES[authority.nation]),
                    email=f"{first}.{last}@{domain}".lower().replace("'", ""),
                    secure_email=role_code != "nominated-contact",
                    last_confirmed=stale if gss == "E08000009" else fresh,
                    active_from=datetime.date(2007, 4, 1),
                )
            )
    Contact.objects.bulk_create(new_contacts)
    Contact.history.bulk_history_create(new_contacts, default_change_reason="Demo data")
    return len(new_contacts)


def _office_kinds(role_code: str) -> set[str]:
    return {
        "district-manager": {"district-office"},
        "district-erm": {"district-office"},
        "district-performance-manager": {"district-office"},
        "contact-centre-manager": {"contact-centre"},
        "financial-assessor-manager": {"contact-centre"},
        "benefit-processing-manager": {"bdc"},
        "nominated-officer": {"jobcentre"},
    }.get(role_code, set())


def _load_users(districts, regions, authorities, password) -> int:
    User = get_user_model()
    created = 0
    for username, first, last, role, scope_kind, scope_code in DEMO_USERS:
        user, new = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@liaison.example.gov.uk"},
        )
        created += new
        if new:
            # Only new users get the demo password: loading again must not reset anyone's password.
            user.set_password(password)
            if role == Role.ADMIN:
                user.is_superuser = True
                user.is_staff = True
            user.save()
        role_assign(
            user=user,
            role=role,
            district=districts[scope_code] if scope_kind == "district" else None,
            region=regions[scope_code] if scope_kind == "region" else None,
            local_authority=authorities[scope_code] if scope_kind == "authority" else None,
        )
    return created


def _scope_name(kind: str | None, code: str | None) -> str:
    names = {
        "district": {c: n for c, n, *_ in DISTRICTS},
        "authority": {g: f"{n} ({g})" for g, n, *_ in LOCAL_AUTHORITIES},
        "region": {c: n for c, n, *_ in REGIONS},
    }
    return names[kind][code] if kind else "national"


# Every demo user, with role and scope, as `load_demo` prints them and the README lists them.
DEMO_LOGINS = [
    (username, f"{Role(role).label}, {_scope_name(kind, code)}") for username, _, _, role, kind, code in DEMO_USERS
]
