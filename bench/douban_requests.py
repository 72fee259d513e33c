"""Douban requests per film, with the politeness limit as deployed: at most 2 for a film not yet cached, none for a
cached one.

The scenario's films are looked up one after another with `DoubanLookup` (built as movierec.runtime builds it, with
an empty cache) at template.yaml's DoubanRequestsPerSecond (2 a second), against the fake Douban answering at once;
then all again, now cached. Each figure is the lookup's own count (`LookupResult.douban_requests`), which must agree
with the requests the fake received. The limit held when the requests came no faster than it allows overall, and no
two closer than 0.8 × its interval (a request the busy machine sent late is followed by one on time). About 13 s.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bench.naive import fresh_lookup
from bench.scenario import FILMS
from bench.timed_fakes import TimedDouban
from local.template import Template
from tests.fakes.catalog import serve

NEW_FILM_TARGET = 2  # requests at most: the search, then the subject page
CACHED_FILM_TARGET = 0


@dataclass(frozen=True)
class DoubanRequests:
    per_second_limit: float
    new: list[int]  # requests each film cost the first time
    cached: list[int]  # and the second
    received: int  # requests the fake Douban received in all
    per_second: float  # from the first to the last
    shortest_gap: float  # seconds between the closest two

    @property
    def polite(self) -> bool:
        return self.per_second <= self.per_second_limit * 1.01 and self.shortest_gap >= 0.8 / self.per_second_limit

    @property
    def passed(self) -> bool:
        counted = sum(self.new) + sum(self.cached)
        within = max(self.new) <= NEW_FILM_TARGET and max(self.cached) <= CACHED_FILM_TARGET
        return within and counted == self.received and self.polite


def measure() -> DoubanRequests:
    limit = float(Template.load().parameter_default("DoubanRequestsPerSecond"))
    with TimedDouban(latency=0.0) as douban:
        serve(douban, FILMS)
        lookup = fresh_lookup(douban.base_url, requests_per_second=limit)

        def requests_per_film() -> list[int]:
            results = [lookup.find(film.title, film.original_title, film.year) for film in FILMS]
            if any(result.status != "found" for result in results):
                raise RuntimeError("a film of the scenario was not found on the fake Douban")
            return [result.douban_requests for result in results]

        new, cached = requests_per_film(), requests_per_film()
        arrivals = [request.at for request in douban.timed_requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    per_second = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    return DoubanRequests(limit, new, cached, len(arrivals), per_second, min(gaps))


def table(result: DoubanRequests) -> list[str]:
    def spread(values: list[int]) -> str:
        return f"{max(values)} at most ({sum(values) / len(values):.1f} on average)"

    return [
        f"Douban requests per film, {len(result.new)} films, at the deployed limit of "
        f"{result.per_second_limit:g} a second",
        f"{'':28}{'requests':<28}{'target':<8}result",
        f"{'a film not yet cached':28}{spread(result.new):<28}≤{NEW_FILM_TARGET:<7}"
        f"{'PASS' if max(result.new) <= NEW_FILM_TARGET else 'FAIL'}",
        f"{'the same film, cached':28}{spread(result.cached):<28}≤{CACHED_FILM_TARGET:<7}"
        f"{'PASS' if max(result.cached) <= CACHED_FILM_TARGET else 'FAIL'}",
        f"  the fake Douban received {result.received} (the lookups counted {sum(result.new) + sum(result.cached)}), "
        f"{result.per_second:.2f} a second, the closest two {result.shortest_gap * 1000:.0f} ms apart "
        f"(interval {1000 / result.per_second_limit:.0f} ms): {'PASS' if result.polite else 'FAIL'}",
    ]
