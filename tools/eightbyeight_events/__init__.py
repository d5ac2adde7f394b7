"""Machine-readable contract of 8x8 Contact Center Event Streaming.

The JSON Schemas under ``schemas/`` are the source of truth; this package
loads them offline and builds the validator, the loader and the generators
on top of them.
"""

from eightbyeight_events.catalogue import EventType, event_types
from eightbyeight_events.schemas import SchemaSet, load_schemas

__version__ = "0.1.0"
__all__ = ["EventType", "SchemaSet", "__version__", "event_types", "load_schemas"]
