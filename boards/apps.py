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
        # The national index's figures are kept until something they count changes.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from boards.selectors import national_progress_forget
        from liaison.models import District

        forget = national_progress_forget
        for model in (Board, Meeting, IndexReturn, District):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"national-progress.{model.__name__}")
        m2m_changed.connect(forget, sender=Board.districts.through, dispatch_uid="national-progress.links")
