"""The texts one signed credential may legitimately come in: the format lets tag 18 be left out
and compression be anything (or none), so an issuer, a wallet app or an attacker re-printing a
photographed code can give one credential many texts. Repeats must be one credential."""

from __future__ import annotations

import zlib

import cbor2

from verifier import PREFIX, base45

_STRATEGIES = (
    zlib.Z_DEFAULT_STRATEGY,
    zlib.Z_FILTERED,
    zlib.Z_HUFFMAN_ONLY,
    zlib.Z_RLE,
    zlib.Z_FIXED,
)


def _cose_of(text: str) -> bytes:
    body = base45.decode(text.removeprefix(PREFIX))
    return zlib.decompress(body) if body[:1] == b"\x78" else body


def _deflate(data: bytes, level: int, mem_level: int, strategy: int) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, 15, mem_level, strategy)
    return packer.compress(data) + packer.flush()


def encodings_of(text: str) -> list[str]:
    """Distinct texts of the credential in `text` (itself first), each valid under the format."""
    cose = _cose_of(text)
    item = cbor2.loads(cose)
    untagged = cbor2.dumps(item.value if isinstance(item, cbor2.CBORTag) else item)
    tagged = cbor2.dumps(cbor2.CBORTag(18, cbor2.loads(untagged)))
    bodies = [tagged, untagged]
    for envelope in (tagged, untagged):
        for level in range(10):
            for mem_level in range(1, 10):
                for strategy in _STRATEGIES:
                    bodies.append(_deflate(envelope, level, mem_level, strategy))
        for cut in range(16, len(envelope), 24):  # a sync flush mid-stream: another valid stream
            packer = zlib.compressobj(9)
            split = packer.compress(envelope[:cut]) + packer.flush(zlib.Z_SYNC_FLUSH)
            bodies.append(split + packer.compress(envelope[cut:]) + packer.flush())
    texts = [text, *(PREFIX + base45.encode(b) for b in bodies)]
    return list(dict.fromkeys(texts))
