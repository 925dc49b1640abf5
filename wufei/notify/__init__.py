"""Delivery of notice intents through Apprise: one digest per department, audience, channel tag
and day; each service attempt recorded; failures retried with backoff, never marked sent."""
