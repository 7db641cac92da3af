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
from math import comb
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
    """The fewest defectives D with P(X <= Ac) <= 10 %, as a share of the lot in tenths of a percent."""
    total = comb(lot, n)

    def accepted_too_often(defectives: int) -> bool:  # P(X <= Ac) > 10 %, in integers
        ways = sum(comb(defectives, x) * comb(lot - defectives, n - x) for x in range(min(accept, defectives) + 1))
        return 100 * ways > CONSUMER_RISK * total

    low, high = 0, lot  # accepted_too_often(0) holds; with all defective, never accepted once Ac < n
    if accepted_too_often(high):
        return 1000  # the plan accepts a wholly defective lot more than 10 % of the time
    while high - low > 1:
        middle = (low + high) // 2
        if accepted_too_often(middle):
            low = middle
        else:
            high = middle
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
