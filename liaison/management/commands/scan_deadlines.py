import datetime

from django.core.management.base import BaseCommand, CommandError

from liaison.alerts import registered_checks, scan_deadlines


class Command(BaseCommand):
    help = "Run every deadline check: raise each new alert once and clear alerts whose condition has cleared."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Scan as of this date (YYYY-MM-DD); today by default.")
        parser.add_argument("--check", action="append", dest="checks", help="Run only this check (repeatable).")

    def handle(self, *args, date=None, checks=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must look like 2026-11-22: {error}") from None
        known = {check.code for check in registered_checks()}
        unknown = set(checks or ()) - known
        if unknown:
            raise CommandError(f"Unknown check {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        result = scan_deadlines(today=today, codes=checks)
        for code, counts in sorted(result.by_check.items()):
            self.stdout.write(
                f"{code}: {counts['raised']} raised, {counts['open']} still open, "
                f"{counts['cleared']} cleared, {counts['emails']} emails"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Scan done: {result.raised} raised, {result.still_open} still open, "
                f"{result.cleared} cleared, {result.emails} emails sent."
            )
        )
