#!/usr/bin/env python
import os
import sys

from liaison.settings import default_module

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module())
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
