"""certify: quality certification for handicraft producers."""

__version__ = "0.1.0"
