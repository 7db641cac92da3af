"""The JSON API under /api/v1: one router per resource, errors as RFC 9457 problem+json."""
