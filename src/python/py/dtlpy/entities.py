"""dtlpy.entities for slotbridge: platform objects with attribute access (``item.id``, ``item.name``, ``item.metadata``)."""


class Entity(dict):
    """A dict the platform sent, read as attributes too; nested dicts are entities."""

    def __getattr__(self, name):
        try:
            return entity(self[name])
        except KeyError:
            raise AttributeError(f"this entity has no {name!r}; it has: {', '.join(self)}") from None


def entity(value):
    return value if isinstance(value, Entity) or not isinstance(value, dict) else Entity(value)


Item = Dataset = Annotation = Project = Model = Task = Execution = Entity
