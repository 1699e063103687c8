from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = "Escalation"
