"""The star mode's post-lookup rule: Douban's credits decide, however the name is written."""

from movierec.douban.models import DoubanMovie
from movierec.modes.star import MODE, StarRequest

KUNG_FU = DoubanMovie(
    id="1291543", url="https://movie.douban.com/subject/1291543/", title="功夫", directors=["周星驰"], cast=["元秋"]
)
BILINGUAL = DoubanMovie(
    id="1", url="https://movie.douban.com/subject/1/", title="x", cast=["莱昂纳多·迪卡普里奥 Leonardo DiCaprio"]
)


def test_a_credited_star_passes_and_an_uncredited_one_is_named_in_the_note():
    assert MODE.rejection(StarRequest(mode="star", star="周星驰"), KUNG_FU) is None
    assert MODE.rejection(StarRequest(mode="star", star="周星馳"), KUNG_FU) is None  # traditional script
    assert MODE.rejection(StarRequest(mode="star", star="Leonardo DiCaprio"), BILINGUAL) is None
    note = MODE.rejection(StarRequest(mode="star", star="吴孟达"), KUNG_FU)
    assert note == "豆瓣条目的导演和演员中没有吴孟达"


def test_the_star_is_the_query_and_the_prompt_data():
    request = StarRequest(mode="star", star="周星驰")
    assert request.query == "周星驰"
    assert MODE.prompt_input(request, None) == {"演员或导演": "周星驰"}
    assert "必须是此人担任导演或主要演员" in MODE.instruction
