"""How django-allauth behaves in Liaison: nobody signs up, invitations are the only way in (besides SSO matched to an
invitation), and the people who must use a second factor are told where to set it up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from liaison.access import needs_mfa
from liaison.models import SignIn
from liaison.scoping import scope_for


class SignInForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: it moves a screen reader past the page's heading and the banner.
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
            field.widget.attrs.pop("placeholder", None)
        self.fields["login"].label = "Username or email address"
        self.fields["login"].error_messages["required"] = "Enter your username or email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].help_text = ""


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Access comes only from an invitation into a role (liaison/invitations.py).
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs) -> None:
    """Each sign-in is kept (the account page lists the recent ones)."""
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    SignIn.objects.create(user=user, ip_address=ip or None)


def must_use_mfa(user) -> bool:
    """GPT, administrators and signers (District Manager, LA Benefits Manager) must use an authenticator app;
    the demo users are spared unless DEMO_MFA=1, so that `make run` stays a quick look."""
    if not settings.LIAISON_REQUIRE_MFA or not user.is_authenticated:
        return False
    if settings.LIAISON_ALLOW_DEMO_DATA and not settings.DEMO_MFA and _is_demo_user(user):
        return False
    return user.is_superuser or needs_mfa(scope_for(user).roles)


def _is_demo_user(user) -> bool:
    from liaison.demo import DEMO_USERS

    return user.username in {row[0] for row in DEMO_USERS} and user.email.endswith("@liaison.example.gov.uk")


def mfa_code_valid(user, code: str) -> bool:
    """A current code from the user's authenticator app (each code is accepted once)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and bool(code) and TOTP(authenticator).validate_code(code.strip())


def uses_mfa(user) -> bool:
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])
