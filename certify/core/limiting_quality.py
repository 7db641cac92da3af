"""What a sampling plan can and cannot catch: its limiting quality (LQ10).

The limiting quality of a plan (sample of n, accept with at most Ac defectives) is the share of
defective pieces in a lot that the plan still accepts 10 % of the time: lots at least that bad are
rejected 90 % of the time or more; lots better than it slip through more often. It is computed

- from the hypergeometric distribution when the sample is more than a tenth of the lot (or the
  whole lot): the fewest defectives D in the lot of N with P(at most Ac in the sample) <= 10 %,
  exactly, in integers; LQ = D / N;
- from the binomial distribution otherwise (the lot is large beside the sample): the share p with
  P(at most Ac of n | p) = 10 %, found by bisection.

Shares are given in tenths of a percent, rounded up (never flattering the plan): 369 = 36.9 %.

ISO 2859-2 (plans indexed by limiting quality, for isolated lots) is not implemented: its tables
could not be checked against a copy of the standard here, and a plan must not be invented. What an
isolated lot's buyer needs to judge the ISO 2859-1 plan used is this figure, printed for every plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb, log
from typing import Literal

CONSUMER_RISK = 10  # percent: the chance of accepting a lot at the limiting quality


@dataclass(frozen=True, slots=True)
class LimitingQuality:
    tenths_of_percent: int  # 369 = 36.9 % defective
    method: Literal["binomial", "hypergeometric"]

    @property
    def percent(self) -> str:
        """`"36.9"`: a decimal string, never a float."""
        return f"{self.tenths_of_percent // 10}.{self.tenths_of_percent % 10}"


@lru_cache(maxsize=4096)
def limiting_quality(sample_size: int, accept: int, lot_size: int) -> LimitingQuality:
    """The LQ10 of taking `sample_size` pieces (at most the lot) and accepting at most `accept` defectives."""
    if lot_size < 1 or sample_size < 1 or accept < 0:
        raise ValueError("lot and sample sizes must be at least 1, the acceptance number at least 0")
    n = min(sample_size, lot_size)
    if 10 * n > lot_size:
        return LimitingQuality(_hypergeometric(n, accept, lot_size), "hypergeometric")
    return _binomial_quality(n, accept)


@lru_cache(maxsize=1024)
def _binomial_quality(n: int, accept: int) -> LimitingQuality:
    """The binomial LQ10, which the lot's size does not change: kept for any lot of that plan."""
    return LimitingQuality(_binomial(n, accept), "binomial")


def _hypergeometric(n: int, accept: int, lot: int) -> int:
    """The fewest defectives D with P(X <= Ac) <= 10 %, as a share of the lot in tenths of a percent.

    Each P is summed exactly, in integers of hundreds of digits (each term from the one before by
    a small product and an exact division), so the search tries few D: P falls as D grows and is
    exactly 1 up to D = Ac; the first D tried is the binomial LQ's (kept per plan), each next one
    where log P, drawn straight between the ends of the range left, meets 10 % (halving instead
    when that keeps landing on one side). The answer is the bisection's, found in fewer steps."""
    if accept >= n:
        return 1000  # the plan accepts even a wholly defective lot
    total = comb(lot, n)

    def accepted(defectives: int) -> int:  # P(X <= Ac) times `total`: Σ C(D, x)·C(N-D, n-x), x <= Ac
        rest = lot - defectives
        x, last = max(0, n - rest), min(accept, defectives)  # below x, n-x good pieces are too many
        if x > last:
            return 0
        bad, good = comb(defectives, x), comb(rest, n - x)
        ways = bad * good
        while x < last:  # the next term from this one, exactly: C(D, x+1), C(N-D, n-x-1)
            bad = bad * (defectives - x) // (x + 1)
            good = good * (n - x) // (rest - n + x + 1)
            x += 1
            ways += bad * good
        return ways

    target = log(CONSUMER_RISK / 100)
    low, high = accept, lot  # accepted too often with D = low (always), not with D = high (never)
    log_low: float = 0.0
    log_high: float | None = None  # None: P is 0 there
    probe = -(-_binomial_quality(n, accept).tenths_of_percent * lot // 1000)
    last_side = 0
    while high - low > 1:
        probe = min(max(probe, low + 1), high - 1)
        ways = accepted(probe)
        share = ways / total  # as a float: only to choose the next D
        if 100 * ways > CONSUMER_RISK * total:  # accepted too often: the LQ is higher
            low, log_low, side = probe, log(share), -1
        else:
            high, log_high, side = probe, log(share) if share else None, 1
        if log_high is None or log_high >= log_low or side == last_side:
            probe, last_side = (low + high) // 2, 0
        else:
            probe = low + round((log_low - target) / (log_low - log_high) * (high - low))
            last_side = side
    return -(-1000 * high // lot)  # rounded up


def _binomial(n: int, accept: int) -> int:
    """The share p with P(X <= Ac | n, p) = 10 %, in tenths of a percent, rounded up."""

    def accepted(p: float) -> float:
        return sum(comb(n, x) * p**x * (1 - p) ** (n - x) for x in range(accept + 1))

    if accept >= n:
        return 1000
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if accepted(middle) > CONSUMER_RISK / 100:
            low = middle
        else:
            high = middle
    return int(-(-round(high * 1e6) // 1000))  # tenths of a percent, rounded up
