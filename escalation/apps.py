from importlib import import_module

from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = "Escalation"

    def ready(self) -> None:
        # The core never imports this app: the checks and the demo loader register themselves with it.
        import_module("escalation.checks")
        import_module("escalation.demo")
        # Likewise boards never imports this app: the board page's panel and the checklist links are registered.
        import_module("escalation.contributions").register()
        import_module("escalation.home").register()
        from escalation.models import Issue
        from liaison.event_scopes import register_event_subject

        register_event_subject("escalation.issue", Issue.objects.visible_to)
