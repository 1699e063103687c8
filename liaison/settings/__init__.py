import os


def default_module() -> str:
    """Production settings when DEBUG is explicitly off, otherwise the embedded local default."""
    debug = os.environ.get("DEBUG", "").strip().lower()
    return "liaison.settings.production" if debug in {"0", "false", "no", "off"} else "liaison.settings.local"
