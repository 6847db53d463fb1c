"""dtlpy for slotbridge: what a Dataloop module's ``main.py`` needs to load and run.

Covers: ``BaseServiceRunner`` (the base of a ``ServiceRunner`` class), and
``entities`` (``Item``, ``Dataset``, ``Annotation``, ``Project``...: the dicts
the platform sends, with attribute access, ``item.id``, ``item.metadata``).
The platform's own calls (``dl.items.get``...) go through ``slotbridge.api``.
Anything else raises NotImplementedError naming the call.
"""
from . import entities
from .entities import entity


class BaseServiceRunner:
    """Dataloop's base class of a module's runner: nothing to do here."""

    def __init__(self, *args, **kwargs):
        pass


def __getattr__(name):
    raise NotImplementedError(f"dtlpy.{name} is not covered by slotbridge (it covers BaseServiceRunner and entities); call the platform through slotbridge.api")
