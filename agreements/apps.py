from importlib import import_module

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and signing"

    def ready(self) -> None:
        # The core and boards never import this app: its checks and board panel register themselves.
        import_module("agreements.checks")
        import_module("agreements.notices")
        from liaison.ical import register_calendar_source

        register_calendar_source("agreements", import_module("agreements.calendar_feed").signatures_due)
        import_module("agreements.demo")
        import_module("agreements.contributions").register()
        import_module("agreements.home").register()
        import_module("agreements.handover").register()
        import_module("agreements.evidence").register()
        from agreements import selectors
        from liaison.event_scopes import register_event_subject

        register_event_subject("agreements.signingdocument", lambda user: selectors.document_list(user=user))
        # The Partnership Agreements are national documents every signed-in user reads, once published.
        register_event_subject("agreements.agreement", lambda user: selectors.readable_agreements(user=user))
        register_event_subject("agreements.localagreement", lambda user: selectors.local_agreements(user=user))
