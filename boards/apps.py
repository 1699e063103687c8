from importlib import import_module

from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Joint Boards"

    def ready(self) -> None:
        # The core never imports boards: boards registers its deadline checks and demo data with the core.
        import_module("boards.checks")
        import_module("boards.notices")
        from liaison.ical import register_calendar_source

        register_calendar_source("boards", import_module("boards.calendar_feed").meetings_and_actions)
        import_module("boards.demo")
        import_module("boards.home").register()
        import_module("boards.handover").register()
        import_module("boards.evidence_sources").register()
        # An event about a board's work is seen by those who see the board (the activity page).
        from boards.models import Action, Board, GoodPractice, IndexReturn, Meeting, TransitionAction
        from liaison.event_scopes import register_event_subject

        for model in (Action, Board, GoodPractice, IndexReturn, Meeting, TransitionAction):
            register_event_subject(model._meta.label_lower, model.objects.visible_to)
