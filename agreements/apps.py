from importlib import import_module

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and signing"

    def ready(self) -> None:
        # The core and boards never import this app: its checks and board panel register themselves.
        import_module("agreements.checks")
        import_module("agreements.demo")
        import_module("agreements.contributions").register()
        import_module("agreements.home").register()
