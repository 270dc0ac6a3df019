"""Every limit of the credential format, in one place (fail closed beyond each)."""

MAX_QR_TEXT_CHARS = 1_500
MAX_DECOMPRESSED_BYTES = 4_096
MAX_CBOR_DEPTH = 8
# Trust and revocation lists are files, not QR texts; this only stops absurd downloads. A
# revocation list of a million entries is about 17 MB, and the portal client reads up to 24 MiB.
MAX_DOCUMENT_BYTES = 24 * 1024 * 1024
DEFAULT_CLOCK_SKEW_S = 300
