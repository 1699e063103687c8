from importlib import import_module

from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "Liaison network"

    def ready(self) -> None:
        # The core's own deadline checks register themselves like every feature app's.
        import_module("liaison.checks")
        import_module("liaison.accounts")
        from django.db.models.signals import pre_save

        from liaison.event_scopes import register_event_subject
        from liaison.models import Contact, Invitation
        from liaison.validators import refuse_unsafe_free_text

        pre_save.connect(refuse_unsafe_free_text, dispatch_uid="liaison-free-text")

        register_event_subject("liaison.contact", lambda user: Contact.objects.visible_to(user))
        register_event_subject("liaison.invitation", lambda user: Invitation.objects.visible_to(user))

        # A user's scope is kept between requests until what it is made of changes (liaison/scoping.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from liaison.models import District, LocalAuthority, RoleAssignment
        from liaison.scoping import scope_generation_bump

        for model in (RoleAssignment, District, LocalAuthority):
            for signal in (post_save, post_delete):
                signal.connect(scope_generation_bump, sender=model, dispatch_uid=f"scope.{model.__name__}")
        m2m_changed.connect(scope_generation_bump, sender=LocalAuthority.districts.through, dispatch_uid="scope.la")
