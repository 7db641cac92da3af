"""Sign-in attempts, limited per account and per client address (in this process's memory).

Five failed attempts a minute per login and twenty per address; beyond that the answer is 429 with
`Retry-After`. Several server processes each keep their own count: the limit per process holds.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


class Throttle:
    def __init__(self, *, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        with self._lock:
            attempts = self._recent(key)
            if len(attempts) < self.limit:
                return 0
            return max(1, math.ceil(attempts[0] + self.window_s - self.clock()))

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())
            if len(self._seen) > 100_000:  # bounded memory under a flood of names
                self._seen.clear()

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        attempts = self._seen.setdefault(key, deque())
        horizon = self.clock() - self.window_s
        while attempts and attempts[0] <= horizon:
            attempts.popleft()
        return attempts


class SignInThrottle:
    """Both limits at once: per login name and per client address."""

    def __init__(self, *, per_login: int = 5, per_address: int = 20, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logins = Throttle(limit=per_login, window_s=window_s, clock=clock)
        self.addresses = Throttle(limit=per_address, window_s=window_s, clock=clock)

    def retry_after(self, *, login: str, address: str) -> int:
        return max(self.logins.retry_after(login.strip().lower()), self.addresses.retry_after(address))

    def failed(self, *, login: str, address: str) -> None:
        self.logins.failed(login.strip().lower())
        self.addresses.failed(address)

    def succeeded(self, *, login: str) -> None:
        self.logins.forget(login.strip().lower())
