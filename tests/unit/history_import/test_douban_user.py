"""Whatever a person pastes to name their Douban account: the id, a profile link, share text."""

import pytest

from movierec.history_import.douban_user import douban_user_id


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("ahbei", "ahbei"),
        ("1000001", "1000001"),
        ("  some_one-2 ", "some_one-2"),
        ("https://www.douban.com/people/ahbei/", "ahbei"),
        ("https://www.douban.com/people/1000001", "1000001"),
        ("https://m.douban.com/people/ahbei/", "ahbei"),
        ("www.douban.com/people/ahbei/?_i=123", "ahbei"),
        ("https://movie.douban.com/people/ahbei/collect", "ahbei"),
        ("https://www.douban.com/doubanapp/dispatch?uri=/user/1000001/", "1000001"),
        ("我的豆瓣主页 https://www.douban.com/people/ahbei/ 来自豆瓣App", "ahbei"),
    ],
)
def test_the_user_id_is_found_in_what_a_person_pastes(text, uid):
    assert douban_user_id(text) == uid


@pytest.mark.parametrize(
    "text",
    [
        "https://www.douban.com/",
        "https://movie.douban.com/subject/1292052/",
        "https://example.com/people/ahbei/",
        "ahbei/../../admin",
        "豆瓣用户",
        "a b",
        "x" * 65,
        "www.douban.com",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="Douban user id or profile link"):
        douban_user_id(text)
