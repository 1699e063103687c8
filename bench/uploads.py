"""Benchmark: a correct 10,000-row sample file through the upload page, CSV and XLSX (budget: 5 seconds each).

Run with `make bench`. It builds a throwaway test database (DATABASE_URL picks PostgreSQL or SQLite, as for the
tests), times three uploads of each format and fails if the median of either is over budget.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings.test")

ROWS = 10_000
RUNS = 3
BUDGET_SECONDS = 5.0


def sample_file(kind: str):
    from tests.monitoring.test_uploads import csv_file, xlsx_file

    header = ["case_reference", "start_date", "end_date"]
    rows = [[f"R-{n}", f"2024-01-{1 + n % 28:02d}", f"2024-02-{1 + n % 28:02d}"] for n in range(ROWS)]
    return csv_file([",".join(r) for r in [header, *rows]]) if kind == "csv" else xlsx_file([header, *rows])


def main() -> int:
    import django

    django.setup()
    # Django must be set up before the models, the test client and the test fixtures are imported.
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from monitoring.models import Sample
    from tests.conftest import World
    from tests.monitoring.conftest import Setup

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        setup = Setup(World())
        area = setup.area("ADM-6")
        client = Client()
        client.force_login(setup.monitor)
        failed = False
        print(f"Upload of {ROWS:,} sample rows through the page, {connection.vendor}, {RUNS} runs each")
        for kind in ("csv", "xlsx"):
            took = []
            for _ in range(RUNS):
                exercise = setup.exercise(area=area, throughput=400_000)
                file = sample_file(kind)
                began = time.perf_counter()
                response = client.post(reverse("monitoring:exercise-upload", args=[exercise.pk]), {"file": file})
                took.append(time.perf_counter() - began)
                saved = Sample.objects.filter(exercise=exercise).count()
                if response.status_code != 302 or saved != ROWS:
                    print(f"  {kind}: upload failed (status {response.status_code}, {saved} rows saved)")
                    return 1
            median = statistics.median(took)
            verdict = "ok" if median <= BUDGET_SECONDS else f"OVER the {BUDGET_SECONDS:.0f} s budget"
            print(f"  {kind}: median {median:.2f} s (runs: {', '.join(f'{t:.2f}' for t in took)}) {verdict}")
            failed |= median > BUDGET_SECONDS
        return 1 if failed else 0
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
