"""The DynamoDB movie cache (moto): keys, TTLs, misses."""

from __future__ import annotations

import pytest

from movierec.douban.cache import HOUR, MovieCache, subject_key, title_item_key
from movierec.douban.models import DoubanMovie, SuggestCandidate
from tests.fakes.clock import START as NOW

CANDIDATE = SuggestCandidate(id="1292052", title="肖申克的救赎", sub_title="The Shawshank Redemption", year=1994)
MOVIE = DoubanMovie(
    id="1292052",
    url="https://movie.douban.com/subject/1292052/",
    title="肖申克的救赎",
    original_title="The Shawshank Redemption",
    year=1994,
    rating=9.7,
    directors=["弗兰克·德拉邦特"],
)


@pytest.fixture
def cache(table, clock) -> MovieCache:
    return MovieCache(table, clock=clock)


def remember(cache: MovieCache, *, partial: bool = False, titles=("肖申克的救赎", "The Shawshank Redemption")) -> None:
    cache.put(titles, 1994, CANDIDATE, MOVIE, source="suggest" if partial else "desktop", partial=partial)


def test_an_empty_cache_misses(cache):
    assert cache.get_candidate(["肖申克的救赎"], 1994) is None
    assert cache.get_movie("1292052") is None


def test_what_was_put_is_read_back(cache):
    remember(cache)

    assert cache.get_candidate(["肖申克的救赎"], 1994) == CANDIDATE
    cached = cache.get_movie("1292052")
    assert cached.movie == MOVIE
    assert (cached.source, cached.partial) == ("desktop", False)


def test_titles_are_keyed_normalised_with_the_year(cache):
    remember(cache)

    assert cache.get_candidate(["肖申克的 救赎！"], 1994) == CANDIDATE
    assert cache.get_candidate(["the shawshank redemption"], 1994) == CANDIDATE  # the original title too
    assert cache.get_candidate(["肖申克的救赎"], 1995) is None
    assert cache.get_candidate(["肖申克的救赎"], None) is None
    assert cache.get_candidate([None, "", "另一部"], 1994) is None


def test_a_title_without_a_year_has_its_own_key(cache):
    cache.put(["肖申克的救赎"], None, CANDIDATE, MOVIE, source="desktop", partial=False)

    assert title_item_key("肖申克的救赎", None) == "title#肖申克的救赎#"
    assert cache.get_candidate(["肖申克的救赎"], None) == CANDIDATE


def test_item_shapes(cache, table):
    remember(cache)

    title_item = table.get_item(Key={"pk": "title#肖申克的救赎#1994"})["Item"]
    assert title_item["subject_id"] == "1292052"
    assert title_item["expires_at"] > NOW + 7 * 24 * HOUR
    assert table.get_item(Key={"pk": "title#theshawshankredemption#1994"})["Item"]["subject_id"] == "1292052"
    subject_item = table.get_item(Key={"pk": subject_key("1292052")})["Item"]
    assert subject_item["pk"] == "subject#1292052"
    assert DoubanMovie.model_validate_json(subject_item["movie"]) == MOVIE
    assert subject_item["source"] == "desktop"
    assert subject_item["partial"] is False
    assert subject_item["expires_at"] == NOW + 7 * 24 * HOUR


def test_a_partial_card_expires_within_the_hour(cache, table, clock):
    remember(cache, partial=True)

    assert table.get_item(Key={"pk": "subject#1292052"})["Item"]["expires_at"] == NOW + HOUR
    assert cache.get_movie("1292052").partial
    clock.now += HOUR
    assert cache.get_movie("1292052") is None
    assert cache.get_candidate(["肖申克的救赎"], 1994) == CANDIDATE  # which subject it is still holds


def test_expired_items_not_yet_deleted_are_misses(cache, clock):
    remember(cache)
    clock.now += 7 * 24 * HOUR + 1  # moto, like DynamoDB at first, still holds the items

    assert cache.get_movie("1292052") is None
    assert cache.get_candidate(["肖申克的救赎"], 1994) == CANDIDATE
    clock.now += 30 * 24 * HOUR
    assert cache.get_candidate(["肖申克的救赎"], 1994) is None


def test_same_normalised_title_twice_is_one_item(cache, table):
    remember(cache, titles=("Inception", "inception"))

    assert table.scan()["Count"] == 2  # one title item, one subject item


def test_a_title_with_nothing_left_once_normalised_is_not_cached(cache, table):
    remember(cache, titles=("？！", None))

    assert title_item_key("？！", 1994) is None
    assert table.scan()["Count"] == 1


def test_an_unreadable_item_is_a_miss(cache, table):
    table.put_item(Item={"pk": "subject#1", "movie": "{not json", "source": "desktop", "partial": False})
    table.put_item(Item={"pk": "title#老片#", "subject_id": "1"})  # written without its search entry

    assert cache.get_movie("1") is None
    assert cache.get_candidate(["老片"], None) == SuggestCandidate(id="1", title="老片")


def test_dynamodb_errors_are_misses_and_writes_do_not_raise(aws, clock):
    cache = MovieCache(aws.Table("NoSuchTable"), clock=clock)

    assert cache.get_movie("1292052") is None
    assert cache.get_candidate(["肖申克的救赎"], 1994) is None
    remember(cache)  # logged, not raised
