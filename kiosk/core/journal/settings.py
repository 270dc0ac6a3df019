"""The journal's settings, read once from the kiosk's config (declared in kiosk.core.config)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.config import Config
from kiosk.core.counter.services import counter_services

DEFAULT_SERVICES = ("electricity", "water", "environment", "health", "education", "banking")


@dataclass(frozen=True, slots=True)
class JournalSettings:
    retention_days: int = 30
    unsent_retention_days: int = 180
    purge_interval_s: int = 3600
    gate_direction: str = "entry"
    turnstile: bool = False
    antipassback: str = "off"  # off | warn | deny
    antipassback_window_s: int = 4 * 3600
    services: tuple[str, ...] = DEFAULT_SERVICES
    counter_allow_unverified: bool = False
    busy_timeout_ms: int = 500
    low_space_mb: int = 100

    @classmethod
    def from_config(cls, config: Config) -> JournalSettings:
        return cls(
            retention_days=config.journal.retention_days,
            unsent_retention_days=config.journal.unsent_retention_days,
            purge_interval_s=config.journal.purge_interval_s,
            gate_direction=config.journal.gate_direction,
            turnstile=config.journal.turnstile,
            antipassback=config.journal.antipassback,
            antipassback_window_s=config.journal.antipassback_window_s,
            services=counter_services(config).services,
            counter_allow_unverified=config.journal.counter_allow_unverified,
            busy_timeout_ms=config.journal.busy_timeout_ms,
            low_space_mb=config.journal.low_space_mb,
        )
