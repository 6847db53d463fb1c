"""Shape statistics: a Dioptra-style plugin. Task functions registered with
pyplugs take typed inputs and return their outputs; an artifact task class
stores the table one function makes for the next to read.
"""
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import structlog
from dioptra import pyplugs
from dioptra.sdk.api.artifact import ArtifactTaskInterface
from pyodide.http import pyfetch

LOGGER = structlog.get_logger()


@pyplugs.register
async def measure_shapes(item: dict) -> dict:
    """Reads the item's image and tables its shapes by kind and colour."""
    response = await pyfetch(item["url"])
    svg = ET.fromstring(await response.text())
    shapes = [(el.get("data-kind"), el.get("data-color")) for el in svg.iter() if el.get("data-kind")]
    table = {
        "item": item["id"],
        "name": item["name"],
        "kinds": dict(Counter(kind for kind, _ in shapes)),
        "colors": dict(Counter(color for _, color in shapes)),
    }
    LOGGER.info("measured", item=item["name"], shapes=len(shapes))
    return table


@pyplugs.register
def summarize(table: dict) -> str:
    """One sentence about a table measure_shapes made."""
    total = sum(table["kinds"].values())
    kinds = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in sorted(table["kinds"].items()))
    colors = len(table["colors"])
    return f"{table['name']}: {total} shapes ({kinds}) in {colors} colour{'s' if colors != 1 else ''}"


class ShapeTableArtifactTask(ArtifactTaskInterface):
    """A shape table as a JSON file."""

    @staticmethod
    def serialize(working_dir: Path, name: str, contents: dict, **kwargs) -> Path:
        path = (working_dir / name).with_suffix(".json")
        path.write_text(json.dumps(contents, sort_keys=True))
        return path

    @staticmethod
    def deserialize(working_dir: Path, path: str, **kwargs) -> dict:
        return json.loads(Path(working_dir, path).read_text())

    @staticmethod
    def validation() -> dict[str, Any] | None:
        return None
