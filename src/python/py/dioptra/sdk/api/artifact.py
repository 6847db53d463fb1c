"""dioptra.sdk.api.artifact for slotbridge: ``ArtifactTaskInterface``.

A class made with this metaclass, named by an artifact type's ``serialize``
and ``deserialize`` in the manifest, is that type's codec: ``serialize``
writes a file in a working directory and slotbridge stores its bytes;
``deserialize`` reads them back from one.
"""
import abc as abc
from pathlib import Path
from typing import Any


class ArtifactTaskInterface(abc.ABCMeta):
    """Interface of Dioptra's artifact task classes: serialize, deserialize, validation."""

    @staticmethod
    @abc.abstractmethod
    def serialize(working_dir: Path, name: str, contents: Any, **kwargs) -> Path:
        raise NotImplementedError

    @staticmethod
    @abc.abstractmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> Any:
        raise NotImplementedError

    @staticmethod
    @abc.abstractmethod
    def validation() -> dict[str, Any] | None:
        raise NotImplementedError
