from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.alerts import scan_deadlines
from liaison.demo import DEMO_LOGINS, load_demo


class Command(BaseCommand):
    help = "Load the demo network and one demo user per role (idempotent); refused in production."

    def add_arguments(self, parser):
        parser.add_argument("--no-scan", action="store_true", help="Do not run the deadline scan afterwards.")

    def handle(self, *args, no_scan=False, **options):
        if not getattr(settings, "LIAISON_ALLOW_DEMO_DATA", False):
            raise CommandError("Demo data is never loaded in production.")
        created = load_demo()
        self.stdout.write("Demo data: " + ", ".join(f"{count} {kind}" for kind, count in created.items()) + " created.")
        if not no_scan:
            result = scan_deadlines()
            self.stdout.write(f"Deadline scan: {result.raised} alerts raised, {result.still_open} already open.")
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (password: {settings.DEMO_PASSWORD!r}):"))
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {label}")
