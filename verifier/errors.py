"""The verifier's exceptions.

    VerifierError
    ├── DocumentError          a signed trust list or revocation list was refused
    │   ├── MalformedDocument  not a COSE_Sign1 of the documented shape
    │   ├── ForgedDocument     not signed by the pinned trust anchor
    │   ├── WrongDocumentType  signed, but not the document that was expected
    │   └── RollbackRefused    signed, but its version is not higher than the one held
    └── TrustStoreError        the trust store's files cannot be read or written

`check()` raises none of these: it turns every failure into a `reject` with a reason code.
The trust store and the command line raise them so a caller can say exactly why.
"""

from __future__ import annotations


class VerifierError(Exception):
    """The verifier refused something."""


class DocumentError(VerifierError):
    """A signed document was refused."""


class MalformedDocument(DocumentError):
    """The document is not a COSE_Sign1 trust list or revocation list of the documented shape."""


class ForgedDocument(DocumentError):
    """The document's signature does not verify under the pinned trust anchor."""


class WrongDocumentType(DocumentError):
    """The document is signed, but it is not the type that was expected."""


class RollbackRefused(DocumentError):
    """The document's version is not higher than the version already held."""


class TrustStoreError(VerifierError):
    """The trust store's files cannot be read or written."""
