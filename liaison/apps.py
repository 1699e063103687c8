from importlib import import_module

from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = "Liaison network"

    def ready(self) -> None:
        # The core's own deadline checks register themselves like every feature app's.
        import_module("liaison.checks")
        import_module("liaison.accounts")
        from liaison.event_scopes import register_event_subject
        from liaison.models import Contact, Invitation

        register_event_subject("liaison.contact", lambda user: Contact.objects.visible_to(user))
        register_event_subject("liaison.invitation", lambda user: Invitation.objects.visible_to(user))
