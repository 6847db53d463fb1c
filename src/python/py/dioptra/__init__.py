"""dioptra for slotbridge: ``pyplugs`` and ``sdk.api.artifact``, the parts a plugin imports."""
