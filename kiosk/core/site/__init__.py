"""The site bus: the lanes of one site share their passages over an MQTT broker (docs/site.md).

passage.py  what crosses the bus, signed by the lane's device key
roster.py   the site's lanes, from the anchor-signed roster the portal serves
secret.py   the site secret from enrolment and the pseudonym key of each rotation epoch
state.py    the site's passages, merged: occupancy, anti-passback memory, conflicts
bus.py      the MQTT client: QoS 1, a persistent session, reconnects on its own
lane.py     one lane on the bus: the journal as outbox, inbound passages into the gate
"""
