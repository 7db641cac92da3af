"""The pure domain: standards, conditions, scoring, sampling. No I/O, no framework but pydantic."""
