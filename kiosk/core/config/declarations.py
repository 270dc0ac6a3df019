"""Every setting of the kiosk, declared once: one frozen section per part of the kiosk.

A field's annotation is its type (a `Literal` lists its choices), its default is the built-in
value, and `setting()` adds its one-line meaning and range. The generic table the files, the
default template and the technician's page walk (`table.SETTINGS`) is derived from these
classes, so a new setting is one field here. A list is a tuple in its section and a TOML list
of strings in a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeVar

T = TypeVar("T")


def setting(
    default: T, doc: str, *, minimum: float | None = None, maximum: float | None = None
) -> T:
    """A declared setting: its default, its meaning, and the range a value must keep to."""
    return field(default=default, metadata={"doc": doc, "minimum": minimum, "maximum": maximum})


@dataclass(frozen=True, slots=True)
class KioskSection:
    """[kiosk] who this device is"""

    name: str = setting("Kiosk", "name shown on screen and sent to the portal")
    site: str = setting("", "site code (building, hospital, branch) this kiosk belongs to")
    mode: Literal["gate", "counter"] = setting(
        "gate", "gate: entry/exit control; counter: service desk"
    )
    language: Literal["vi", "en"] = setting("vi", "language of the screen")


@dataclass(frozen=True, slots=True)
class VerifySection:
    """[verify] how credentials are judged"""

    clock_skew_s: int = setting(
        300, "clock skew allowed on validity times, seconds", minimum=0, maximum=3600
    )
    stale_grace_s: int = setting(
        172_800,
        "a trust or revocation list past its next_update plus this many seconds is stale",
        minimum=0,
        maximum=90 * 86400,
    )
    on_stale_trust_list: Literal["accept", "reject"] = setting(
        "accept",
        "accept (and warn) or reject credentials on stale trust data (either list, or none)",
    )


@dataclass(frozen=True, slots=True)
class TrustSection:
    """[trust] the pinned trust anchor"""

    anchor: str = setting("", "trust anchor public key, 64 hex; empty: the data dir's anchor.hex")


@dataclass(frozen=True, slots=True)
class CameraSection:
    """[camera] the USB camera (OpenCV); every value asked for is read back and logged"""

    backend: Literal["auto", "v4l2", "msmf", "dshow", "avfoundation", "any"] = setting(
        "auto", "OpenCV capture backend; auto: v4l2 on Linux, msmf on Windows"
    )
    fourcc: str = setting("MJPG", "pixel format asked for; USB 2 cameras need MJPG for 720p30")
    width: int = setting(1280, "frame width asked for, pixels", minimum=160, maximum=7680)
    height: int = setting(720, "frame height asked for, pixels", minimum=120, maximum=4320)
    fps: float = setting(30.0, "frame rate asked for", minimum=1, maximum=240)
    autofocus: bool = setting(True, "let the camera focus itself")
    focus: float = setting(-1.0, "manual focus when autofocus is off; -1: leave as is", minimum=-1)
    auto_exposure: bool = setting(True, "let the camera choose its exposure")
    exposure: float = setting(-1.0, "manual exposure when auto_exposure is off; -1: leave as is")
    frame_timeout_s: float = setting(
        2.0, "no frame for this long: the camera is lost and reopened", minimum=0.2, maximum=60
    )
    reopen_backoff_max_s: float = setting(
        10.0, "longest wait between reopen attempts", minimum=0.1, maximum=300
    )


@dataclass(frozen=True, slots=True)
class ScanSection:
    """[scan] what is scanned and how repeats are told apart"""

    source: str = setting("camera:0", "where codes come from (a SPEC, as kiosk run --source)")
    repeat_window_s: float = setting(
        3.0,
        "the same code seen again within this many seconds of its last sighting is one event",
        minimum=0,
        maximum=3600,
    )
    other_quiet_s: float = setting(
        10.0,
        "a code that is no credential (a link) is answered once, quiet while in view, and"
        " answered again once out of view this many seconds",
        minimum=0,
        maximum=86400,
    )
    file_fps: float = setting(
        10.0, "frame rate of image and demo sources", minimum=0.1, maximum=240
    )
    image_hold_s: float = setting(
        1.0, "how long each still image stays in view", minimum=0, maximum=3600
    )
    video_fps: float = setting(
        0.0, "frame rate of video files; 0: the file's own", minimum=0, maximum=240
    )
    demo_hold_s: float = setting(2.0, "how long the demo shows each code", minimum=0, maximum=3600)
    demo_gap_s: float = setting(
        3.0, "pause between demo codes, no code in view", minimum=0, maximum=3600
    )


@dataclass(frozen=True, slots=True)
class ScannerSection:
    """[scanner] a handheld scanner in serial (USB CDC) mode"""

    baudrate: int = setting(
        9600, "serial speed (USB CDC ignores it)", minimum=1200, maximum=4_000_000
    )
    reopen_backoff_max_s: float = setting(
        5.0, "longest wait between reopen attempts", minimum=0.1, maximum=300
    )


@dataclass(frozen=True, slots=True)
class PortalSection:
    """[portal] where the portal is and how its TLS is trusted (docs/sync.md)"""

    url: str = setting("", "the portal's base URL; empty: the one the kiosk enrolled with")
    tls_mode: Literal["system", "bundle", "pinned"] = setting(
        "system", "system: the OS's CAs; bundle: portal.ca_bundle; pinned: portal.pin_sha256"
    )
    ca_bundle: str = setting("", "CA bundle (PEM file) trusted when tls_mode is bundle")
    pin_sha256: str = setting(
        "",
        "SHA-256 of the portal's (or the site proxy's) certificate, hex, when tls_mode is pinned",
    )
    connect_timeout_s: float = setting(
        5.0, "give up connecting after this", minimum=0.5, maximum=120
    )
    read_timeout_s: float = setting(
        30.0, "give up waiting for an answer after this", minimum=1, maximum=600
    )
    request_deadline_s: float = setting(
        60.0,
        "give up on a request after this, however slowly its answer still trickles in",
        minimum=1,
        maximum=3600,
    )


@dataclass(frozen=True, slots=True)
class SyncSection:
    """[sync] how the journal reaches the portal"""

    enabled: bool = setting(True, "run the sync loop (off: the kiosk never calls the portal)")
    interval_s: int = setting(
        60, "seconds between sync rounds; new events start one sooner", minimum=5, maximum=86400
    )
    batch_size: int = setting(500, "events per upload batch", minimum=1, maximum=5000)
    round_deadline_s: int = setting(
        300,
        "a sync round ends after this many seconds; the next one carries on",
        minimum=5,
        maximum=3600,
    )
    clock_drift_threshold_s: int = setting(
        120,
        "journal the kiosk's clock drift from the portal's beyond this many seconds",
        minimum=5,
        maximum=86400,
    )


@dataclass(frozen=True, slots=True)
class SiteSection:
    """[site] the site bus: the lanes of one site share passages over MQTT (docs/site.md)"""

    broker_url: str = setting(
        "",
        "the site's MQTT broker, mqtt://host:1883 or mqtts://host:8883; empty: this lane is alone",
    )
    tls_ca_file: str = setting("", "CA certificate (PEM) the broker's must chain to")
    tls_cert_file: str = setting("", "this lane's client certificate (PEM), if asked")
    tls_key_file: str = setting("", "the client certificate's private key (PEM)")
    username: str = setting("", "the broker's user name for this lane; empty: none")
    password_file: str = setting("", "file holding the broker password (never the config)")


@dataclass(frozen=True, slots=True)
class JournalSection:
    """[journal] the event journal: retention, gate policy, counter services (docs/journal.md)"""

    retention_days: int = setting(
        30,
        "personal data is purged this many days after the portal acknowledged it",
        minimum=0,
        maximum=3650,
    )
    unsent_retention_days: int = setting(
        180,
        "personal data never acknowledged is purged after this many days anyway; 0: never",
        minimum=0,
        maximum=3650,
    )
    purge_interval_s: int = setting(3600, "how often retention runs", minimum=60, maximum=86400)
    gate_direction: Literal["entry", "exit"] = setting(
        "entry", "the gate's direction at start (the guard may switch it)"
    )
    turnstile: bool = setting(
        False, "a turnstile reports each passage (without one the verdict is the passage)"
    )
    antipassback: Literal["off", "warn", "deny"] = setting(
        "off", "the same person entering twice without an exit in the window: off, warn or deny"
    )
    antipassback_window_s: int = setting(
        14_400,
        "how long an entry without an exit counts for anti-passback, seconds",
        minimum=60,
        maximum=7 * 86400,
    )
    services: tuple[str, ...] = setting(
        (), "counter service codes staff may record; empty: the defaults of counter.kind"
    )
    counter_allow_unverified: bool = setting(
        False, "counters may record transactions for unsigned ID-card codes too"
    )
    busy_timeout_ms: int = setting(
        500,
        "wait this long for a locked journal before going out of service",
        minimum=0,
        maximum=10_000,
    )
    low_space_mb: int = setting(
        100,
        "warn (status line, heartbeat) when the journal's disk has less free space than this",
        minimum=0,
        maximum=1_000_000,
    )


@dataclass(frozen=True, slots=True)
class UiSection:
    """[ui] the screen: verdicts, sounds, preview (kiosk/ui)"""

    fullscreen: bool = setting(True, "frameless full screen; off: a window (counters, development)")
    show_preview: bool = setting(True, "show the camera picture behind the framing guide")
    verdict_seconds: float = setting(
        4.0, "a verdict stays on screen this long, or until the next scan", minimum=1, maximum=60
    )
    sounds: bool = setting(True, "play a tone for accept and reject")
    unverified_id_card: Literal["refuse", "admit"] = setting(
        "refuse", "an unsigned ID-card code at a gate: amber and refused, or amber and let through"
    )


@dataclass(frozen=True, slots=True)
class CounterSection:
    """[counter] the service desk (kiosk.mode = counter); services: journal.services"""

    kind: Literal["general", "utilities", "hospital", "bank", "school"] = setting(
        "general",
        "what the counter serves, for its default services (general offers all, preselects none)",
    )
    handoff: Literal["off", "file", "http"] = setting(
        "off",
        "hand the verified identity to the counter's software: off, file drop or loopback HTTP",
    )
    handoff_dir: str = setting("", "folder for file hand-offs (one JSON file each)")
    handoff_port: int = setting(
        8765, "loopback port for HTTP hand-offs", minimum=1024, maximum=65535
    )


@dataclass(frozen=True, slots=True)
class GateSection:
    """[gate] what an admitted scan does at the gate (kiosk/core/gate/action.py); safe default:
    log"""

    action: Literal["log", "command", "serial", "http"] = setting(
        "log", "on an admitted scan: log only, run a command, write a serial line, or call a URL"
    )
    command: tuple[str, ...] = setting(
        (), "the command and its arguments ({event_id}, {direction})"
    )
    serial_port: str = setting("", "serial port of the relay or turnstile controller")
    serial_line: str = setting("OPEN", "the line written to open the gate")
    http_url: str = setting("", "URL that opens the gate (POST, JSON body)")
    timeout_s: float = setting(5.0, "how long the action may take", minimum=0.1, maximum=60)


@dataclass(frozen=True, slots=True)
class TechnicianSection:
    """[technician] the technician's door"""

    idle_lock_s: float = setting(
        300.0,
        "an unlocked technician session locks itself after this long untouched",
        minimum=30,
        maximum=3600,
    )


@dataclass(frozen=True, slots=True)
class Settings:
    """Every section, in the order the default file lists them; each field's name is the
    section's [name] in a file and the first part of its keys ("scan.repeat_window_s")."""

    kiosk: KioskSection = field(default_factory=KioskSection)
    verify: VerifySection = field(default_factory=VerifySection)
    trust: TrustSection = field(default_factory=TrustSection)
    camera: CameraSection = field(default_factory=CameraSection)
    scan: ScanSection = field(default_factory=ScanSection)
    scanner: ScannerSection = field(default_factory=ScannerSection)
    portal: PortalSection = field(default_factory=PortalSection)
    sync: SyncSection = field(default_factory=SyncSection)
    site: SiteSection = field(default_factory=SiteSection)
    journal: JournalSection = field(default_factory=JournalSection)
    ui: UiSection = field(default_factory=UiSection)
    counter: CounterSection = field(default_factory=CounterSection)
    gate: GateSection = field(default_factory=GateSection)
    technician: TechnicianSection = field(default_factory=TechnicianSection)
