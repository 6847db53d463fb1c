"""structlog for slotbridge: loggers whose lines are the app's log reports.

Covers: ``get_logger``/``getLogger``, and a logger's ``bind``, ``new``,
``unbind``, ``debug``, ``info``, ``warning``/``warn``, ``error``,
``exception``, ``critical``/``fatal``, ``msg``/``log``. A line reads
``level event key=value ...``. Anything else raises NotImplementedError naming the call.
"""
import slotbridge


class BoundLogger:
    def __init__(self, context=None):
        self._context = dict(context or {})

    def bind(self, **values):
        return BoundLogger({**self._context, **values})

    def new(self, **values):
        return BoundLogger(values)

    def unbind(self, *keys):
        return BoundLogger({k: v for k, v in self._context.items() if k not in keys})

    def _line(self, level, event, values):
        fields = " ".join(f"{k}={v!r}" for k, v in {**self._context, **values}.items())
        slotbridge.report_log(f"{level} {event}" + (f" {fields}" if fields else ""))

    def debug(self, event=None, **kw):
        self._line("debug", event, kw)

    def info(self, event=None, **kw):
        self._line("info", event, kw)

    def warning(self, event=None, **kw):
        self._line("warning", event, kw)

    warn = warning

    def error(self, event=None, **kw):
        self._line("error", event, kw)

    def exception(self, event=None, **kw):
        self._line("error", event, kw)

    def critical(self, event=None, **kw):
        self._line("critical", event, kw)

    fatal = critical

    def msg(self, event=None, **kw):
        self._line("info", event, kw)

    log = msg

    def __getattr__(self, name):
        raise NotImplementedError(f"structlog logger.{name} is not covered by slotbridge")


def get_logger(*args, **initial_values):
    return BoundLogger(initial_values)


getLogger = get_logger


def __getattr__(name):
    raise NotImplementedError(f"structlog.{name} is not covered by slotbridge (it covers get_logger and a logger's level calls)")
