import os

from celery import Celery

from liaison.settings import default_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module())

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
