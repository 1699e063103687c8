from importlib import import_module

from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Joint Boards"

    def ready(self) -> None:
        # The core never imports boards: boards registers its deadline checks and demo data with the core.
        import_module("boards.checks")
        import_module("boards.demo")
        import_module("boards.home").register()
