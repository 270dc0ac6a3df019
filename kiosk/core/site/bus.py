"""The site bus's MQTT client: QoS 1 both ways, a persistent session, reconnects on its own.

The session is persistent (clean_session off, the device id as client id), so a lane that was
away receives what it missed from the broker's queue; a delivery is acknowledged only after the
lane has merged it (manual acks), so a lane killed mid-delivery gets it again. A publish is
"done" only on the broker's PUBACK (`on_acked`); until then the lane's own state holds it as
unpublished, and after a restart the lane publishes it again (receivers keep one copy).
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.core.config import Config

log = logging.getLogger(__name__)

TOPIC_ROOT = "cds/site"
KEEPALIVE_S = 10


class BusSettingsError(ValueError):
    """The [site] settings cannot make a connection (a bad URL, an unreadable file)."""


@dataclass(frozen=True, slots=True)
class BusSettings:
    host: str
    port: int
    tls: bool
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    username: str = ""
    password_file: str = ""

    @classmethod
    def from_config(cls, config: Config) -> BusSettings | None:
        """None when no broker is configured: the lane decides alone, as before."""
        url = config.site.broker_url.strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise BusSettingsError(f"site.broker_url {url!r}: expected mqtt://host[:port]")
        tls = parts.scheme == "mqtts"
        return cls(
            parts.hostname,
            parts.port or (8883 if tls else 1883),
            tls,
            config.site.tls_ca_file,
            config.site.tls_cert_file,
            config.site.tls_key_file,
            config.site.username,
            config.site.password_file,
        )

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def passages_topic(site: str, lane: str = "+", kind: str = "passages") -> str:
    # MQTT wildcards and separators in a site or device id would change the topic's meaning.
    lane = lane if lane == "+" else quote(lane, safe="")
    return f"{TOPIC_ROOT}/{quote(site, safe='')}/{kind}/{lane}"


def hello_topic(site: str, lane: str = "+") -> str:
    return passages_topic(site, lane, "hello")


class SiteBus:
    def __init__(
        self,
        settings: BusSettings,
        *,
        client_id: str,
        site: str,
        on_message: Callable[[bytes], None],
        on_acked: Callable[[str], None],
        on_state: Callable[[bool, str], None],
        on_hello: Callable[[bytes], None] | None = None,
        hello: Callable[[], bytes] | None = None,
    ) -> None:
        self.settings = settings
        self._site, self._lane = site, client_id
        self._on_message, self._on_acked, self._on_state = on_message, on_acked, on_state
        self._on_hello, self._hello = on_hello, hello
        self._fresh_session = False
        self._lock = threading.Lock()
        self._in_flight: dict[int, str] = {}  # mid -> event id, until the broker's PUBACK
        self._early_acks: set[int] = set()  # PUBACKs that beat publish() returning its mid
        self.online = False
        self.detail = "not started"
        c = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        c.max_queued_messages_set(0)  # while away, queue every passage (the journal holds them)
        c.max_inflight_messages_set(100)
        c.reconnect_delay_set(min_delay=1, max_delay=5)
        configure_client(c, settings)
        c.on_connect = self._connected
        c.on_subscribe = self._subscribed
        c.on_disconnect = self._disconnected
        c.on_message = self._message
        c.on_publish = self._published
        self._client = c

    def start(self) -> None:
        self.detail = f"connecting to {self.settings.url}"
        self._client.connect_async(self.settings.host, self.settings.port, KEEPALIVE_S)
        self._client.loop_start()

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()
        self.online = False

    def publish(self, event_id: str, message: bytes) -> None:
        """Queue one passage, QoS 1; `on_acked(event_id)` once the broker holds it."""
        # Not under our lock: paho calls on_publish holding its own, and may do so before
        # publish() returns (a fast broker), so an ack can arrive for a mid not yet recorded.
        info = self._client.publish(passages_topic(self._site, self._lane), message, qos=1)
        with self._lock:
            early = info.mid in self._early_acks
            if early:
                self._early_acks.discard(info.mid)
            else:
                self._in_flight[info.mid] = event_id
        if early:
            self._on_acked(event_id)

    @property
    def in_flight(self) -> int:
        with self._lock:
            return len(self._in_flight)

    # paho's network thread calls these.

    def _connected(self, client: mqtt.Client, _u: Any, flags: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            self._set(False, f"broker refused: {reason}")
            return
        # No session at the broker (a first start, a broker that lost its store): nothing was
        # queued for this lane, so once subscribed it asks the others to resend (hello).
        self._fresh_session = not flags.session_present
        # online once the broker says so (SUBACK)
        client.subscribe([(passages_topic(self._site), 1), (hello_topic(self._site), 1)])

    def _subscribed(self, _c: mqtt.Client, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
        if any(r.is_failure for r in reasons):
            self._set(False, f"the broker refused the subscription: {reasons[0]}")
            return
        self._set(True, f"connected to {self.settings.url}")
        if self._fresh_session and self._hello is not None:
            self._fresh_session = False
            self._client.publish(hello_topic(self._site, self._lane), self._hello(), qos=1)

    def _disconnected(self, _c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self._set(False, f"disconnected: {reason}")

    def _set(self, online: bool, detail: str) -> None:
        changed = online != self.online
        self.online, self.detail = online, detail
        if changed:
            self._on_state(online, detail)

    def _message(self, client: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        handler = self._on_message
        if "/hello/" in msg.topic:
            handler = self._on_hello or (lambda _m: None)
        try:
            handler(bytes(msg.payload))
        except Exception:  # a lane's fault must not stop the network thread
            log.exception("site bus: a passage could not be merged; the broker will redeliver")
            return
        client.ack(msg.mid, msg.qos)

    def _published(self, _c: mqtt.Client, _u: Any, mid: int, _r: Any, _p: Any) -> None:
        with self._lock:
            event_id = self._in_flight.pop(mid, None)
            if event_id is None:
                self._early_acks.add(mid)
        if event_id is not None:
            self._on_acked(event_id)


def configure_client(c: mqtt.Client, settings: BusSettings) -> None:
    """Credentials and TLS from the settings (BusSettingsError for an unreadable file)."""
    if settings.username:
        c.username_pw_set(settings.username, _password(settings.password_file))
    if settings.tls:
        try:
            c.tls_set(
                ca_certs=settings.ca_file or None,
                certfile=settings.cert_file or None,
                keyfile=settings.key_file or None,
                cert_reqs=ssl.CERT_REQUIRED,
                tls_version=ssl.PROTOCOL_TLS_CLIENT,
            )
        except (OSError, ssl.SSLError, ValueError) as e:
            raise BusSettingsError(f"site TLS settings: {e}") from None


def _password(path: str) -> str | None:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as e:
        raise BusSettingsError(f"site.password_file {path}: {e.strerror}") from None
