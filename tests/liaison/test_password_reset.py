"""A forgotten password is reset by an email link, sent through a real SMTP server on loopback."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"


def _link(inbox, address: str) -> str:
    (message,) = inbox.to(address)
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", inbox.body(message)).group(1)


def test_a_forgotten_password_is_reset_by_following_the_emailed_link(client, world, smtp_server):
    erm = world.users["erm"]
    response = client.post(RESET, {"email": erm.email})
    assert response.status_code == 302
    link = _link(smtp_server, erm.email)

    # The link leads to a form (allauth moves the key into the session and redirects once).
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "a new Liaison pass 42", "password2": "a new Liaison pass 42"})
    assert response.status_code == 302

    erm.refresh_from_db()
    assert erm.check_password("a new Liaison pass 42")
    assert client.post("/accounts/login/", {"login": "w-erm", "password": "a new Liaison pass 42"}).status_code == 302

    # The link works once.
    client.post("/accounts/logout/")
    page = client.get(link, follow=True).content.decode()
    assert "This link does not work" in page


def test_the_answer_never_reveals_whether_an_account_exists(client, world, smtp_server):
    known = client.post(RESET, {"email": world.users["erm"].email}, follow=True)
    unknown = client.post(RESET, {"email": "nobody-here@example.gov.uk"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    # The unknown address is told nothing that would help guess accounts either.
    assert all("reset/key" not in smtp_server.body(m) for m in smtp_server.to("nobody-here@example.gov.uk"))


def test_a_tampered_link_changes_nothing(client, world, smtp_server):
    erm = world.users["erm"]
    client.post(RESET, {"email": erm.email})
    link = _link(smtp_server, erm.email)
    tampered = link[:-3] + ("x" if link[-3] != "x" else "y") + link[-2:]
    response = client.get(tampered, follow=True)
    page = response.content.decode()
    assert "This link does not work" in page
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else tampered
    client.post(form_url, {"password1": "hijacked pass 9876", "password2": "hijacked pass 9876"})
    assert get_user_model().objects.get(pk=erm.pk).check_password("liaison")
