"""dioptra.sdk for slotbridge: ``api.artifact`` only."""
