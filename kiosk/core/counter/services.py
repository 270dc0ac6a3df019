"""The services a counter offers: the deployment's list, or sensible defaults for its kind.

Read by the counter's screen (what the clerk can pick) and by the journal (what it accepts), so
both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.config import Config

# The services a counter of each kind offers when the config names none (`journal.services`).
# A general counter (a ward's one-stop desk) offers them all and preselects none: a clerk picks.
SERVICES_BY_KIND: dict[str, tuple[str, ...]] = {
    "general": ("electricity", "water", "environment", "health", "education", "banking"),
    "utilities": ("electricity", "water", "environment"),
    "hospital": ("health",),
    "bank": ("banking",),
    "school": ("education",),
}
COUNTER_KINDS = tuple(SERVICES_BY_KIND)


@dataclass(frozen=True, slots=True)
class ServiceChoice:
    services: tuple[str, ...]
    preselected: str | None  # None: the clerk must choose


def counter_services(config: Config) -> ServiceChoice:
    """The deployment's services (`journal.services`), or the defaults of `counter.kind`."""
    configured = config.journal.services
    services = configured or SERVICES_BY_KIND[config.counter.kind]
    return ServiceChoice(services, services[0] if len(services) == 1 else None)
