"""Text helpers of the demo generator: search and sort keys composed from cached parts, document numbers,
fast random picks, tax codes."""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from desktop_app.domain.validators import MOBILE_PREFIXES
from desktop_app.domain.vietnamese import fold, sort_key

# --- text helpers ---------------------------------------------------------------------------------------------------


class _Keys:
    """``fold`` and ``sort_key`` of names composed of cached parts.

    ``sort_key`` writes, for the whole text, the primary codes, then the tone digits, the case digits and the code
    points of symbols; a space contributes "01", "0", "0" and nothing. So the key of parts joined by spaces is
    assembled from the keys of the parts. The first names are checked against the real functions; on any
    difference the generator falls back to calling them for every name.
    """

    _CHECKS = 200

    def __init__(self) -> None:
        self._parts: dict[str, tuple[str, str, str, str, str]] = {}
        self._checked = 0
        self._composable = True

    def _part(self, part: str) -> tuple[str, str, str, str, str]:
        found = self._parts.get(part)
        if found is None:
            key = sort_key(part)
            i = 0
            while key[i:i + 2] != "00":
                i += 2
            n, rest = i // 2, key[i + 2:]
            found = (key[:i], rest[:n], rest[n:2 * n], rest[2 * n:], fold(part))
            self._parts[part] = found
        return found

    def compose(self, parts: Sequence[str]) -> tuple[str, str, str]:
        """(name, folded name, sort key) of the parts joined by single spaces."""
        name = " ".join(parts)
        if not self._composable:
            return name, fold(name), sort_key(name)
        ks = [self._part(p) for p in parts]
        folded = " ".join(k[4] for k in ks)
        key = ("01".join(k[0] for k in ks) + "00" + "0".join(k[1] for k in ks) + "0".join(k[2] for k in ks)
               + "".join(k[3] for k in ks))
        if self._checked < self._CHECKS:
            self._checked += 1
            if key != sort_key(name) or folded != fold(name):
                self._composable = False
                return name, fold(name), sort_key(name)
        return name, folded, key


_NUMBER = re.compile(r"^(\d+)/(?:\d{4}/)?(.+)$")  # "05/QĐ-SCT", "05/2024/HĐ-KC"
_VOUCHER = re.compile(r"^UNC-(\d{4})-(\d+)$")


def parse_number(value: str, year: int) -> tuple[int, str, int] | None:
    """(year, symbol, number) of a document number as the generator writes it, dated in ``year``; None for a
    number in another form."""
    found = _VOUCHER.match(value)
    if found:
        return int(found[1]), "UNC", int(found[2])
    found = _NUMBER.match(value)
    return (year, found[2], int(found[1])) if found else None


def _ri(rng: random.Random, lo: int, hi: int) -> int:
    """``rng.randint(lo, hi)`` at a third of its cost (it is called millions of times)."""
    return lo + int(rng.random() * (hi - lo + 1))


def _lower_first(text_: str) -> str:
    return text_[:1].lower() + text_[1:]


def _weighted(items: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    return [i for i, _ in items], list(accumulate(w for _, w in items))


def _pick(rng: random.Random, values: list[Any], cumulative: list[int]) -> Any:
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


def _scramble(n: int, digits: int) -> int:
    """A one-to-one shuffle of 0 … 10**digits - 1 (affine, digit reversal, affine), so the sequence numbers of
    tax codes and personal ids are unique without looking sequential."""
    m = 10**digits
    x = (n * 2_718_281 + 1_414_213) % m
    x = int(f"{x:0{digits}d}"[::-1])
    return (x * 3_141_593 + 577_215) % m


def _tax_check_digit(first9: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first9, (31, 29, 23, 19, 17, 13, 7, 5, 3), strict=True)) % 11
    return None if total == 0 else 10 - total


_TAX_PREFIXES = tuple(f"{n:02d}" for n in (1, 2, 3, 4, 5, 8, 10, 14, 18, 20, 23, 25, 26, 27, 28, 29, 30, 31, 33,
                                             34, 35, 36, 37, 38, 40, 41, 42, 43, 44, 45, 46, 47, 49, 50, 51, 52,
                                             53, 56, 58, 59, 60, 61, 63))
_MOBILE = tuple(sorted(MOBILE_PREFIXES))
