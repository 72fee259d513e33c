"""The tags and theme modes: their query, prompt data and instruction; neither rejects a found film."""

from movierec.douban.models import DoubanMovie
from movierec.modes import tags, theme

ANY_FILM = DoubanMovie(id="1", url="https://movie.douban.com/subject/1/", title="任意")


def test_tags_are_joined_for_the_person_and_listed_for_the_model():
    request = tags.TagsRequest(mode="tags", tags=["科幻", "悬疑"])
    assert request.query == "科幻、悬疑"
    assert tags.MODE.prompt_input(request, None) == {"兴趣标签": ["科幻", "悬疑"]}
    assert "兴趣标签" in tags.MODE.instruction
    assert tags.MODE.rejection(request, ANY_FILM) is None


def test_a_theme_is_the_query_and_the_model_is_told_not_to_name_the_film_it_mentions():
    request = theme.ThemeRequest(mode="theme", theme="像《盗梦空间》")
    assert request.query == "像《盗梦空间》"
    assert theme.MODE.prompt_input(request, None) == {"主题或参考影片": "像《盗梦空间》"}
    assert "不要推荐那部电影本身" in theme.MODE.instruction
    assert theme.MODE.rejection(request, ANY_FILM) is None
