"""structlog.stdlib for slotbridge: ``BoundLogger`` and ``get_logger``, as ``structlog``'s."""
from . import BoundLogger, get_logger

getLogger = get_logger
