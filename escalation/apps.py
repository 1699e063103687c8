from importlib import import_module

from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = "Escalation"

    def ready(self) -> None:
        # The core never imports this app: the checks and the demo loader register themselves with it.
        import_module("escalation.checks")
        import_module("escalation.notices")
        from liaison.ical import register_calendar_source

        register_calendar_source("escalation", import_module("escalation.calendar_feed").level_targets_due)
        import_module("escalation.demo")
        # Likewise boards never imports this app: the board page's panel and the checklist links are registered.
        import_module("escalation.contributions").register()
        import_module("escalation.home").register()
        import_module("escalation.handover").register()
        import_module("escalation.evidence").register()
        from escalation.models import Issue, issue_event_arms
        from liaison.event_scopes import register_event_subject

        register_event_subject("escalation.issue", Issue.objects.visible_to, arms=issue_event_arms)
        from escalation.services import issues_hand_on_to_region
        from liaison.signals import district_managed_by_region

        def hand_on(sender, district, actor, **kwargs):
            issues_hand_on_to_region(actor=actor, district=district)

        district_managed_by_region.connect(hand_on, weak=False, dispatch_uid="escalation-hand-on-to-region")
        # The level targets are kept until one changes (escalation/selectors.py).
        from django.db.models.signals import post_delete, post_save

        from escalation.models import LevelTarget
        from escalation.selectors import level_targets_forget

        for signal in (post_save, post_delete):
            signal.connect(level_targets_forget, sender=LevelTarget, dispatch_uid=f"level-targets.{signal}")
