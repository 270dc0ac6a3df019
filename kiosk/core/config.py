"""The kiosk's settings: declared once here, read from layered TOML files.

Layers, later wins: built-in defaults < system file < user file (or --config FILE) < overrides
from the command line. Each setting is declared with its type, default and a one-line meaning;
a file with an unknown key, a wrong type or a value out of range is refused, naming the key,
the file and the line.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.paths import APP_NAME, settings_override_path

SYSTEM_CONFIG_ENV = "KIOSK_SYSTEM_CONFIG"


@dataclass(frozen=True, slots=True)
class Setting:
    key: str  # "section.name"
    type: type
    default: Any
    doc: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


# Each part of the kiosk declares its settings in its own section, in this one table.
SETTINGS: tuple[Setting, ...] = (
    # [kiosk] who this device is
    Setting("kiosk.name", str, "Kiosk", "name shown on screen and sent to the portal"),
    Setting("kiosk.site", str, "", "site code (building, hospital, branch) this kiosk belongs to"),
    Setting(
        "kiosk.mode",
        str,
        "gate",
        "gate: entry/exit control; counter: service desk",
        ("gate", "counter"),
    ),
    Setting("kiosk.language", str, "vi", "language of the screen", ("vi", "en")),
    # [verify] how credentials are judged
    Setting(
        "verify.clock_skew_s",
        int,
        300,
        "clock skew allowed on validity times, seconds",
        None,
        0,
        3600,
    ),
    Setting(
        "verify.stale_grace_s",
        int,
        172_800,
        "a trust or revocation list past its next_update plus this many seconds is stale",
        None,
        0,
        90 * 86400,
    ),
    Setting(
        "verify.on_stale_trust_list",
        str,
        "accept",
        "accept (and warn) or reject credentials on stale trust data (either list, or none)",
        ("accept", "reject"),
    ),
    # [trust] the pinned trust anchor
    Setting(
        "trust.anchor", str, "", "trust anchor public key, 64 hex; empty: the data dir's anchor.hex"
    ),
    # [camera] the USB camera (OpenCV); every value asked for is read back and logged
    Setting(
        "camera.backend",
        str,
        "auto",
        "OpenCV capture backend; auto: v4l2 on Linux, msmf on Windows",
        ("auto", "v4l2", "msmf", "dshow", "avfoundation", "any"),
    ),
    Setting(
        "camera.fourcc", str, "MJPG", "pixel format asked for; USB 2 cameras need MJPG for 720p30"
    ),
    Setting("camera.width", int, 1280, "frame width asked for, pixels", None, 160, 7680),
    Setting("camera.height", int, 720, "frame height asked for, pixels", None, 120, 4320),
    Setting("camera.fps", float, 30.0, "frame rate asked for", None, 1, 240),
    Setting("camera.autofocus", bool, True, "let the camera focus itself"),
    Setting(
        "camera.focus", float, -1.0, "manual focus when autofocus is off; -1: leave as is", None, -1
    ),
    Setting("camera.auto_exposure", bool, True, "let the camera choose its exposure"),
    Setting(
        "camera.exposure",
        float,
        -1.0,
        "manual exposure when auto_exposure is off; -1: leave as is",
    ),
    Setting(
        "camera.frame_timeout_s",
        float,
        2.0,
        "no frame for this long: the camera is lost and reopened",
        None,
        0.2,
        60,
    ),
    Setting(
        "camera.reopen_backoff_max_s",
        float,
        10.0,
        "longest wait between reopen attempts",
        None,
        0.1,
        300,
    ),
    # [scan] what is scanned and how repeats are told apart
    Setting(
        "scan.source", str, "camera:0", "where codes come from (a SPEC, as kiosk run --source)"
    ),
    Setting(
        "scan.repeat_window_s",
        float,
        3.0,
        "the same code seen again within this many seconds of its last sighting is one event",
        None,
        0,
        3600,
    ),
    Setting(
        "scan.other_quiet_s",
        float,
        10.0,
        "a code that is no credential (a link) is answered once, quiet while in view, and"
        " answered again once out of view this many seconds",
        None,
        0,
        86400,
    ),
    Setting("scan.file_fps", float, 10.0, "frame rate of image and demo sources", None, 0.1, 240),
    Setting(
        "scan.image_hold_s", float, 1.0, "how long each still image stays in view", None, 0, 3600
    ),
    Setting(
        "scan.video_fps", float, 0.0, "frame rate of video files; 0: the file's own", None, 0, 240
    ),
    Setting("scan.demo_hold_s", float, 2.0, "how long the demo shows each code", None, 0, 3600),
    Setting(
        "scan.demo_gap_s", float, 3.0, "pause between demo codes, no code in view", None, 0, 3600
    ),
    # [scanner] a handheld scanner in serial (USB CDC) mode
    Setting(
        "scanner.baudrate", int, 9600, "serial speed (USB CDC ignores it)", None, 1200, 4_000_000
    ),
    Setting(
        "scanner.reopen_backoff_max_s",
        float,
        5.0,
        "longest wait between reopen attempts",
        None,
        0.1,
        300,
    ),
    # [portal] where the portal is and how its TLS is trusted (docs/sync.md)
    Setting("portal.url", str, "", "the portal's base URL; empty: the one the kiosk enrolled with"),
    Setting(
        "portal.tls_mode",
        str,
        "system",
        "system: the OS's CAs; bundle: portal.ca_bundle; pinned: portal.pin_sha256",
        ("system", "bundle", "pinned"),
    ),
    Setting("portal.ca_bundle", str, "", "CA bundle (PEM file) trusted when tls_mode is bundle"),
    Setting(
        "portal.pin_sha256",
        str,
        "",
        "SHA-256 of the portal's (or the site proxy's) certificate, hex, when tls_mode is pinned",
    ),
    Setting(
        "portal.connect_timeout_s", float, 5.0, "give up connecting after this", None, 0.5, 120
    ),
    Setting(
        "portal.read_timeout_s",
        float,
        30.0,
        "give up waiting for an answer after this",
        None,
        1,
        600,
    ),
    Setting(
        "portal.request_deadline_s",
        float,
        60.0,
        "give up on a request after this, however slowly its answer still trickles in",
        None,
        1,
        3600,
    ),
    # [sync] how the journal reaches the portal
    Setting(
        "sync.enabled", bool, True, "run the sync loop (off: the kiosk never calls the portal)"
    ),
    Setting(
        "sync.interval_s",
        int,
        60,
        "seconds between sync rounds; new events start one sooner",
        None,
        5,
        86400,
    ),
    Setting("sync.batch_size", int, 500, "events per upload batch", None, 1, 5000),
    Setting(
        "sync.round_deadline_s",
        int,
        300,
        "a sync round ends after this many seconds; the next one carries on",
        None,
        5,
        3600,
    ),
    Setting(
        "sync.clock_drift_threshold_s",
        int,
        120,
        "journal the kiosk's clock drift from the portal's beyond this many seconds",
        None,
        5,
        86400,
    ),
    # [site] the site bus: the lanes of one site share passages over MQTT (docs/site.md)
    Setting(
        "site.broker_url",
        str,
        "",
        "the site's MQTT broker, mqtt://host:1883 or mqtts://host:8883; empty: this lane is alone",
    ),
    Setting("site.tls_ca_file", str, "", "CA certificate (PEM) the broker's must chain to"),
    Setting("site.tls_cert_file", str, "", "this lane's client certificate (PEM), if asked"),
    Setting("site.tls_key_file", str, "", "the client certificate's private key (PEM)"),
    Setting("site.username", str, "", "the broker's user name for this lane; empty: none"),
    Setting("site.password_file", str, "", "file holding the broker password (never the config)"),
    # [journal] the event journal: retention, gate policy, counter services (docs/journal.md)
    Setting(
        "journal.retention_days",
        int,
        30,
        "personal data is purged this many days after the portal acknowledged it",
        None,
        0,
        3650,
    ),
    Setting(
        "journal.unsent_retention_days",
        int,
        180,
        "personal data never acknowledged is purged after this many days anyway; 0: never",
        None,
        0,
        3650,
    ),
    Setting("journal.purge_interval_s", int, 3600, "how often retention runs", None, 60, 86400),
    Setting(
        "journal.gate_direction",
        str,
        "entry",
        "the gate's direction at start (the guard may switch it)",
        ("entry", "exit"),
    ),
    Setting(
        "journal.turnstile",
        bool,
        False,
        "a turnstile reports each passage (without one the verdict is the passage)",
    ),
    Setting(
        "journal.antipassback",
        str,
        "off",
        "the same person entering twice without an exit in the window: off, warn or deny",
        ("off", "warn", "deny"),
    ),
    Setting(
        "journal.antipassback_window_s",
        int,
        14_400,
        "how long an entry without an exit counts for anti-passback, seconds",
        None,
        60,
        7 * 86400,
    ),
    Setting(
        "journal.services",
        list,
        [],
        "counter service codes staff may record; empty: the defaults of counter.kind",
    ),
    Setting(
        "journal.counter_allow_unverified",
        bool,
        False,
        "counters may record transactions for unsigned ID-card codes too",
    ),
    Setting(
        "journal.busy_timeout_ms",
        int,
        500,
        "wait this long for a locked journal before going out of service",
        None,
        0,
        10_000,
    ),
    Setting(
        "journal.low_space_mb",
        int,
        100,
        "warn (status line, heartbeat) when the journal's disk has less free space than this",
        None,
        0,
        1_000_000,
    ),
    # [ui] the screen: verdicts, sounds, preview (kiosk/ui)
    Setting(
        "ui.fullscreen", bool, True, "frameless full screen; off: a window (counters, development)"
    ),
    Setting("ui.show_preview", bool, True, "show the camera picture behind the framing guide"),
    Setting(
        "ui.verdict_seconds",
        float,
        4.0,
        "a verdict stays on screen this long, or until the next scan",
        None,
        1,
        60,
    ),
    Setting("ui.sounds", bool, True, "play a tone for accept and reject"),
    Setting(
        "ui.unverified_id_card",
        str,
        "refuse",
        "an unsigned ID-card code at a gate: amber and refused, or amber and let through",
        ("refuse", "admit"),
    ),
    # [counter] the service desk (kiosk.mode = counter); services: journal.services
    Setting(
        "counter.kind",
        str,
        "general",
        "what the counter serves, for its default services (general offers all, preselects none)",
        ("general", "utilities", "hospital", "bank", "school"),
    ),
    Setting(
        "counter.handoff",
        str,
        "off",
        "hand the verified identity to the counter's software: off, file drop or loopback HTTP",
        ("off", "file", "http"),
    ),
    Setting("counter.handoff_dir", str, "", "folder for file hand-offs (one JSON file each)"),
    Setting(
        "counter.handoff_port", int, 8765, "loopback port for HTTP hand-offs", None, 1024, 65535
    ),
    # [gate] what an admitted scan does at the gate (kiosk/core/gate/action.py); safe default: log
    Setting(
        "gate.action",
        str,
        "log",
        "on an admitted scan: log only, run a command, write a serial line, or call a URL",
        ("log", "command", "serial", "http"),
    ),
    Setting("gate.command", list, [], "the command and its arguments ({event_id}, {direction})"),
    Setting("gate.serial_port", str, "", "serial port of the relay or turnstile controller"),
    Setting("gate.serial_line", str, "OPEN", "the line written to open the gate"),
    Setting("gate.http_url", str, "", "URL that opens the gate (POST, JSON body)"),
    Setting("gate.timeout_s", float, 5.0, "how long the action may take", None, 0.1, 60),
    # [technician] the technician's door
    Setting(
        "technician.idle_lock_s",
        float,
        300.0,
        "an unlocked technician session locks itself after this long untouched",
        None,
        30,
        3600,
    ),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


class ConfigError(ValueError):
    """A config file or value was refused. The message names the key, the file and the line;
    `problem` (an id) and `facts` (its numbers or choices) let a screen word it."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        file: Path | None = None,
        line: int | None = None,
        problem: str = "invalid",
        facts: Mapping[str, Any] | None = None,
    ) -> None:
        where = ", ".join(
            p
            for p in (
                f"key {key}" if key else "",
                f"file {file}" if file else "",
                f"line {line}" if line else "",
            )
            if p
        )
        super().__init__(f"{message} ({where})" if where else message)
        self.key, self.file, self.line = key, file, line
        self.problem, self.facts = problem, dict(facts or {})


def system_config_path() -> Path:
    if env := os.environ.get(SYSTEM_CONFIG_ENV):
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME / "kiosk.toml"
    return Path("/etc") / APP_NAME / "kiosk.toml"


def user_config_path() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / APP_NAME / "kiosk.toml"


def _line_of(text: str, key: str) -> int | None:
    """The line where a dotted key's last part is assigned in its [section] (best effort)."""
    section, _, name = key.rpartition(".")
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[] ")
        elif current == section and line.split("=", 1)[0].strip() == name:
            return number
    return None


def coerce(setting: Setting, value: Any) -> Any:
    """The value checked against its declaration. Raises ConfigError (without file or line)."""
    expected = setting.type
    if expected is float and type(value) is int:
        value = float(value)
    if expected is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("must be a list of strings", key=setting.key, problem="wrong_type")
    elif type(value) is not expected:
        raise ConfigError(
            f"must be {expected.__name__}, not {type(value).__name__}", key=setting.key,
            problem="wrong_type",
        )  # fmt: skip
    if setting.choices is not None and value not in setting.choices:
        raise ConfigError(f"must be one of {', '.join(map(str, setting.choices))}", key=setting.key,
                          problem="not_a_choice")  # fmt: skip
    if setting.minimum is not None and value < setting.minimum:
        raise ConfigError(f"must be at least {setting.minimum}", key=setting.key,
                          problem="too_small", facts={"limit": setting.minimum})  # fmt: skip
    if setting.maximum is not None and value > setting.maximum:
        raise ConfigError(f"must be at most {setting.maximum}", key=setting.key,
                          problem="too_large", facts={"limit": setting.maximum})  # fmt: skip
    return value


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and key not in BY_KEY:
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def read_file(path: Path) -> dict[str, Any]:
    """The settings a TOML file sets, checked. Raises ConfigError naming the key, file and line."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"cannot read: {e.strerror}", file=path) from None
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 byte-order mark (Notepad) is harmless
    except UnicodeDecodeError as e:
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        why = "UTF-16 text" if utf16 else f"not UTF-8 text (byte {e.start})"
        raise ConfigError(f"{why}: save the file as UTF-8", file=path) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # Python 3.11's TOMLDecodeError has no lineno attribute; its message names the line.
        found = re.search(r"at line (\d+)", str(e))
        line = int(found.group(1)) if found else None
        raise ConfigError(f"not valid TOML: {e}", file=path, line=line) from None
    values: dict[str, Any] = {}
    for key, value in _flatten(table).items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise ConfigError("unknown setting", key=key, file=path, line=_line_of(text, key))
        try:
            values[key] = coerce(setting, value)
        except ConfigError as e:
            raise ConfigError(
                str(e).split(" (")[0], key=key, file=path, line=_line_of(text, key)
            ) from None
    return values


@dataclass(frozen=True)
class Config:
    values: Mapping[str, Any]
    sources: Mapping[str, str]  # key -> "default", a file path, or "command line"

    def get(self, key: str) -> Any:
        return self.values[key]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def load_config(
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    system_file: Path | None = None,
    user_file: Path | None = None,
    data_dir: Path | None = None,
) -> Config:
    """The effective config. `config_file` (--config) takes the user file's place; with a data
    dir, the settings saved on the kiosk (`<data dir>/settings.toml`) are the last file layer."""
    values = {s.key: s.default for s in SETTINGS}
    sources = dict.fromkeys(values, "default")
    layers = [system_file or system_config_path(), config_file or user_file or user_config_path()]
    if data_dir is not None:
        layers.append(settings_override_path(data_dir))
    for i, path in enumerate(layers):
        explicit = i == 1 and config_file is not None
        if not explicit and not path.is_file():
            continue
        for key, value in read_file(path).items():
            values[key], sources[key] = value, str(path)
    for key, value in (overrides or {}).items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise ConfigError("unknown setting", key=key)
        values[key], sources[key] = coerce(setting, value), "command line"
    return Config(values, sources)
