"""TLS by site: the system's CAs, a CA bundle, or a pinned certificate fingerprint, against a
loopback HTTPS server with a self-signed certificate (as a TLS-inspecting proxy would present)."""

from __future__ import annotations

import hashlib
import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from portal_sync.client import PortalClient, TlsConfig
from portal_sync.errors import Rejected, Transient
from tests.sync.conftest import TEST_TIMEOUTS

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl tool")


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    return cert, key, hashlib.sha256(der).hexdigest()


@pytest.fixture
def https_url(certificate: tuple[Path, Path, str]) -> Iterator[str]:
    cert, key, _ = certificate
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _health(url: str, tls: TlsConfig) -> int:
    with PortalClient(url, tls=tls, timeouts=TEST_TIMEOUTS) as client:
        return client.get("/health", what="health").status_code


def test_pinned_fingerprint_accepts_the_certificate(
    https_url: str, certificate: tuple[Path, Path, str]
) -> None:
    pin = certificate[2]
    colon_form = ":".join(pin[i : i + 2] for i in range(0, 64, 2)).upper()
    assert _health(https_url, TlsConfig(mode="pinned", pin_sha256=colon_form)) == 200


def test_a_wrong_pin_refuses_the_connection(https_url: str) -> None:
    with pytest.raises(Transient) as refused:
        _health(https_url, TlsConfig(mode="pinned", pin_sha256="ab" * 32))
    assert refused.value.code == "tls"


def test_a_ca_bundle_is_trusted(https_url: str, certificate: tuple[Path, Path, str]) -> None:
    assert _health(https_url, TlsConfig(mode="bundle", ca_bundle=certificate[0])) == 200


def test_the_system_store_does_not_trust_a_private_certificate(https_url: str) -> None:
    with pytest.raises(Transient) as refused:
        _health(https_url, TlsConfig(mode="system"))
    assert refused.value.code == "tls"


@pytest.mark.parametrize(
    "tls",
    [dict(mode="pinned", pin_sha256="xyz"), dict(mode="bundle"), dict(mode="none")],
    ids=["bad-pin", "bundle-without-file", "unknown-mode"],
)
def test_bad_tls_settings_are_refused(tls: dict[str, str]) -> None:
    with pytest.raises(Rejected):
        TlsConfig(**tls)  # type: ignore[arg-type]
