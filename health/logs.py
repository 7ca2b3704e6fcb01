"""LOG_FORMAT=json: one JSON object per line, for a log collector (config/settings.py)."""

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter


class JsonFormatter(_JsonFormatter):
    """time, level, logger, message, exception (the traceback), and the record's extra fields.
    Django's loggers pass the request itself (django.request, django.server): it becomes its
    method and path, nothing more (no query string, no headers, no user)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exception"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(**kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if hasattr(request, "path") and hasattr(request, "method"):
            log_data["method"], log_data["path"] = request.method, request.path
