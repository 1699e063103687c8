from importlib import import_module

from django.apps import AppConfig


class MiConfig(AppConfig):
    name = "mi"
    verbose_name = "Management information"

    def ready(self) -> None:
        # The core and boards never import this app: what it adds to their pages registers itself.
        import_module("mi.contributions").register()
