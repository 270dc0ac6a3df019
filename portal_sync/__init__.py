"""The kiosk's client for the portal's sync API (docs/sync.md, docs/api/openapi.yaml).

No Qt and no kiosk imports: `kiosk.core` builds a `SyncRunner` from its settings and runs it in
its sync loop. The modules, each with one job:

    client      the HTTP edge: session, TLS modes, timeouts, GET retries, the portal's Date
    errors      every library error mapped into Transient / Rejected / Unauthorised
    signing     RFC 9421-shaped request signatures with the device key
    enrolment   device key, enrolment code, trust anchor, the portal's sealing key
    documents   signed lists in through the verifier's trust store, with ETags
    upload      outbox batches out, idempotent, marking only what was acknowledged
    heartbeat   the kiosk's health for the portal's fleet view
    clock       when a drift from the portal's clock is worth a journal row
    state       backoff, ETags and clock offset persisted across restarts
    sync_round  one round of all of the above, reported for the journal
    outbox      the protocol the journal implements
"""
