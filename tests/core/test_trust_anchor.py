"""One pinned anchor: from the config or the enrolled file, and never two that disagree."""

from __future__ import annotations

from pathlib import Path

import pytest

from devportal import issuer
from kiosk.core.config import load_config
from kiosk.core.demo_data import load_demo
from kiosk.core.paths import trust_dir
from kiosk.core.runtime import Runtime
from kiosk.core.trust.anchor import resolve_anchor
from verifier import TrustStoreError
from verifier.trust_store import write_anchor

DEMO_ANCHOR = load_demo().anchor
OTHER = issuer.public_bytes(issuer.signing_key("another portal"))


def config_with(tmp_path: Path, anchor: bytes | None) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[trust]\nanchor = "{anchor.hex() if anchor else ""}"\n')
    return path


def test_from_the_enrolled_file_or_the_config(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with pytest.raises(TrustStoreError, match="no trust anchor"):
        resolve_anchor(load_config(config_with(tmp_path, None)), data)
    assert resolve_anchor(load_config(config_with(tmp_path, OTHER)), data) == OTHER
    write_anchor(trust_dir(data), DEMO_ANCHOR)
    assert resolve_anchor(load_config(config_with(tmp_path, None)), data) == DEMO_ANCHOR
    assert resolve_anchor(load_config(config_with(tmp_path, DEMO_ANCHOR)), data) == DEMO_ANCHOR


def test_two_anchors_that_disagree_are_an_error_naming_both(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_anchor(trust_dir(data), DEMO_ANCHOR)
    config = load_config(config_with(tmp_path, OTHER))
    with pytest.raises(TrustStoreError, match="differs from the enrolled anchor"):
        resolve_anchor(config, data)
    runtime = Runtime(config, data, source="demo", sync=False)
    runtime.open_trust()
    assert runtime.trust_problem is not None and "differs" in runtime.trust_problem
