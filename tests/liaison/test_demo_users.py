"""Every demo user is listed, with role and scope, in the README and by `load_demo`."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from liaison.demo import DEMO_USERS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_demo_user_and_no_other():
    listed = re.findall(r"^\| `([a-z-]+)` \|", README.read_text(), flags=re.M)
    assert sorted(listed) == sorted(username for username, *_ in DEMO_USERS)


@pytest.mark.django_db
def test_load_demo_prints_every_demo_user_with_role_and_scope():
    out = io.StringIO()
    call_command("load_demo", "--no-scan", stdout=out)
    printed = out.getvalue()
    for username, *_ in DEMO_USERS:
        assert re.search(rf"^  {re.escape(username)} +\S", printed, flags=re.M), username
    assert "la-monitor         LA monitoring officer, Manchester (E08000003)" in printed
    assert "regional-erm-wales Country/Regional ERM, Wales" in printed
