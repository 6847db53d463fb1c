"""dioptra.sdk.api for slotbridge: ``artifact`` only."""
