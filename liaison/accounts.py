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


INVITATION_SESSION_KEY = "liaison_invitation_token"


def _invitation_for_sso(request, sociallogin):
    """The pending invitation whose link this browser followed, when the organisation account's verified email
    address is the one it was sent to; otherwise None."""
    from liaison.services import invitation_for_token

    invitation = invitation_for_token(request.session.get(INVITATION_SESSION_KEY, ""))
    verified = {address.email.lower() for address in sociallogin.email_addresses if address.verified}
    return invitation if invitation is not None and invitation.email.lower() in verified else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """SSO signs in the account whose verified email address the organisation asserts. A new account is made only
    for someone who followed their invitation link and then chose their organisation account: the role still comes
    from the invitation. Anyone else is told that access comes by invitation (account/signup_closed.html)."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return _invitation_for_sso(request, sociallogin) is not None

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The same username as an invitation accepted with a password: the email address.
        user.username = (user.email or "").lower()
        return user

    def save_user(self, request, sociallogin, form=None):
        from liaison.services import invitation_accept

        invitation = _invitation_for_sso(request, sociallogin)
        user = super().save_user(request, sociallogin, form)
        if invitation is not None:
            invitation_accept(token=request.session.pop(INVITATION_SESSION_KEY), user=user)
        return user


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
