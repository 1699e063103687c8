from importlib import import_module

from django.apps import AppConfig


class MiConfig(AppConfig):
    name = "mi"
    verbose_name = "Management information"

    def ready(self) -> None:
        # The core and boards never import this app: what it adds to their pages, its check and demo register.
        import_module("mi.contributions").register()
        import_module("mi.checks")
        import_module("mi.demo")
        import_module("mi.home").register()
        from liaison.event_scopes import register_event_subject
        from mi.models import Figure, Measure

        register_event_subject("mi.figure", Figure.objects.visible_to)
        register_event_subject("mi.measure", lambda user: Measure.objects.all())
