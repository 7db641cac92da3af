"""certify: quality certification for handicraft producers."""

import warnings

__version__ = "0.1.0"

# Third-party deprecations that reach users through certify, each by its exact message and
# category (tests/conftest.py checks that certify's own warnings stay errors):
# - pyHanko imports cryptography's DSA key types; cryptography 51 deprecates DSA on that import.
warnings.filterwarnings(
    "ignore",
    message="DSA is deprecated and support will be removed in a future release",
    module=r"pyhanko\.",
)
