"""The heartbeat: the kiosk's health, so the portal can see its fleet.

Signed like an upload, so nobody can speak for a kiosk. What is sent is documented in
docs/sync.md; no personal data is ever in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from portal_sync.client import PortalClient
from portal_sync.enrolment import DeviceIdentity


@dataclass(frozen=True, slots=True)
class Health:
    version: str
    clock: float  # the kiosk's own clock, Unix seconds
    backlog: int
    trust_list_version: int | None
    trust_list_age_s: float | None  # now minus the list's issued_at
    revocations_version: int | None
    disk_free_bytes: int | None
    clock_offset_s: float | None  # the portal's clock minus ours, as last measured
    camera: str = "unknown"  # ok | missing | error | unknown; the kiosk fills it in
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> bytes:
        body = asdict(self)
        body["extra"] = dict(self.extra)
        return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def send_heartbeat(client: PortalClient, identity: DeviceIdentity, health: Health) -> float | None:
    """Send the health report; returns the portal's `server_time` when it gave one."""
    response = client.post_signed(
        "/heartbeat",
        health.as_json(),
        key=identity.signing_key,
        keyid=identity.device_id,
        what="heartbeat",
    )
    server_time = client.json(response, "heartbeat").get("server_time")
    return float(server_time) if isinstance(server_time, int | float) else None
