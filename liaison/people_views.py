"""People and access pages: invitations (send, resend, withdraw, accept) and the people of the user's area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from liaison import selectors, services
from liaison.access import grant_area, needs_mfa
from liaison.accounts import INVITATION_SESSION_KEY
from liaison.forms import add_service_errors
from liaison.models import Event, Invitation, RoleAssignment
from liaison.people_forms import AcceptInvitationForm, InvitationForm, RoleChangeForm


def _area_or_403(user):
    area = grant_area(user)
    if area.empty:
        raise PermissionDenied("Your role does not give access to anyone.")
    return area


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    area = _area_or_403(request.user)
    form = InvitationForm(request.POST if request.method == "POST" else None, area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _ = services.invitation_create(
                actor=request.user,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                district=data["district"],
                region=data["region"],
                local_authority=data["local_authority"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}. The link works for 7 days.")
            return redirect("invitation-list")
    return render(request, "liaison/invitation_form.html", {"form": form})


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    _area_or_403(request.user)
    invitations = Invitation.objects.visible_to(request.user).select_related(
        "district", "region", "local_authority", "invited_by", "contact"
    )[:200]
    return render(request, "liaison/invitation_list.html", {"invitations": invitations})


def _invitation_action(request: HttpRequest, pk: int, write, done: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)
    try:
        write(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(invitation=invitation))
    return redirect("invitation-list")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, services.invitation_resend, "Invitation sent again to {invitation.email}.")


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, services.invitation_withdraw, "Invitation to {invitation.email} withdrawn.")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "liaison/invitation_invalid.html", status=410)
    user = request.user
    existing = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    form = None
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            state = "other-user"
        else:
            state = "accept"
            if request.method == "POST":
                services.invitation_accept(token=token, user=user)
                messages.success(request, f"You are now {invitation.get_role_display()} ({invitation.where}).")
                return redirect("home")
    elif existing:
        state = "sign-in"
    else:
        state = "new"
        # Kept for the way back from the organisation's sign-in, should they choose SSO over a password.
        request.session[INVITATION_SESSION_KEY] = token
        form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.invitation_accept_new_user(token=token, password=form.cleaned_data["password1"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(form, error)
                else:
                    form.add_error("password1", error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request, f"Welcome to Liaison. You are {invitation.get_role_display()} ({invitation.where})."
                )
                return redirect("home")
    return render(
        request,
        "liaison/invitation_accept.html",
        {
            "invitation": invitation,
            "state": state,
            "form": form,
            "sign_in_url": f"{reverse('account_login')}?next={request.path}",
        },
    )


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    _area_or_403(request.user)
    page = Paginator(selectors.people_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "liaison/people_list.html", {"page": page, "people": page.object_list})


def _person(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.people_list(user=request.user), pk=pk)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area_or_403(request.user)
    person = _person(request, pk)
    roles = [
        (
            assignment,
            area.allows(
                role=assignment.role,
                district_id=assignment.district_id,
                region_id=assignment.region_id,
                local_authority_id=assignment.local_authority_id,
            ),
        )
        for assignment in person.role_assignments.all()
    ]
    ended = (
        Event.objects.filter(kind="access.deactivated", subject_type=person._meta.label_lower, subject_id=person.pk)
        .order_by("-occurred_at")
        .first()
    )
    return render(
        request,
        "liaison/person_detail.html",
        {
            "person": person,
            "roles": roles,
            "mfa_required": needs_mfa(a.role for a, _ in roles),
            "can_deactivate": person.is_active
            and person.pk != request.user.pk
            and all(allowed for _, allowed in roles)
            and (roles or area.everything),
            "contacts": person.contacts.select_related("role", "district", "local_authority"),
            "ended": ended,
        },
    )


def _assignment(request: HttpRequest, pk: int, assignment_pk: int) -> RoleAssignment:
    person = _person(request, pk)
    return get_object_or_404(RoleAssignment.objects.select_related("user"), pk=assignment_pk, user=person)


@login_required
@require_http_methods(["GET", "POST"])
def role_change(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    area = _area_or_403(request.user)
    assignment = _assignment(request, pk, assignment_pk)
    form = RoleChangeForm(request.POST if request.method == "POST" else None, area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_change(
                actor=request.user,
                assignment=assignment,
                role=data["role"],
                district=data["district"],
                region=data["region"],
                local_authority=data["local_authority"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The role has been changed.")
            return redirect("person-detail", pk=pk)
    return render(request, "liaison/role_change.html", {"form": form, "assignment": assignment})


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    _area_or_403(request.user)
    assignment = _assignment(request, pk, assignment_pk)
    services.role_end(actor=request.user, assignment=assignment)
    messages.success(request, f"{assignment} ended.")
    return redirect("person-detail", pk=pk)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _area_or_403(request.user)
    person = _person(request, pk)
    try:
        services.user_deactivate(actor=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person.get_full_name() or person.username} can no longer sign in.")
    return redirect("person-detail", pk=pk)
