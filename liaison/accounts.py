"""How django-allauth behaves in Liaison: nobody signs up, invitations are the only way in (besides SSO matched to an
invitation), and the people who must use a second factor are told where to set it up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from liaison.models import SignIn


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
