from importlib import import_module

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        # The core and boards never import this app: its checks, demo loader and board panel register themselves.
        import_module("monitoring.checks")
        import_module("monitoring.notices")
        import_module("monitoring.demo")
        import_module("monitoring.contributions").register()
        import_module("monitoring.home").register()
        import_module("monitoring.evidence").register()
        from liaison.event_scopes import register_event_subject
        from monitoring.models import Area, Attestation, Exercise, Plan, Standard

        # No event is about a sample (a sample's recording is its exercise's event): every scope registered here is
        # one more arm of every scoped user's activity trail for PostgreSQL to plan.
        for model in (Area, Attestation, Exercise, Plan, Standard):
            register_event_subject(model._meta.label_lower, model.objects.visible_to)
