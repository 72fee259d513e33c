import json

import pytest

from movierec.answer import MovieStreamParser, parse_answer

ANSWER = json.dumps(
    {
        "movies": [
            {"title": "盗梦空间", "original_title": "Inception", "year": 2010, "reason": "层层嵌套的梦境，{烧脑}"},
            {"title": "恐怖游轮", "original_title": "Triangle", "year": 2009, "reason": '时间循环 "经典"'},
            {"title": "土拨鼠之日", "original_title": "Groundhog Day", "year": 1993, "reason": "温情的循环\\n"},
        ]
    },
    ensure_ascii=False,
)


def stream(text: str, cut: int) -> list[str]:
    parser = MovieStreamParser()
    titles = [movie.title for movie in parser.feed(text[:cut])]
    titles += [movie.title for movie in parser.feed(text[cut:])]
    return titles


@pytest.mark.parametrize("cut", range(len(ANSWER) + 1))
def test_a_stream_split_anywhere_yields_each_movie_once_in_order(cut):
    assert stream(ANSWER, cut) == ["盗梦空间", "恐怖游轮", "土拨鼠之日"]


def test_each_movie_is_yielded_as_soon_as_its_object_closes():
    parser = MovieStreamParser()
    first_end = ANSWER.index("}, {") + 1
    assert [m.title for m in parser.feed(ANSWER[:first_end])] == ["盗梦空间"]
    assert parser.feed(ANSWER[first_end : first_end + 5]) == []


def test_character_by_character_stream():
    parser = MovieStreamParser()
    titles = [movie.title for char in ANSWER for movie in parser.feed(char)]
    assert titles == ["盗梦空间", "恐怖游轮", "土拨鼠之日"]


def test_fences_and_chatter_around_the_json_are_ignored():
    text = f"好的！以下是推荐：\n```json\n{ANSWER}\n```\n希望你喜欢 {{不是 JSON}}"
    assert len(MovieStreamParser().feed(text)) == 3
    assert [m.year for m in parse_answer(text)] == [2010, 2009, 1993]


def test_an_invalid_object_is_skipped_and_counted():
    text = '{"movies": [{"title": "", "year": 2010}, {"title": "活着", "year": 1994, "reason": "余华"}]}'
    parser = MovieStreamParser()
    assert [m.title for m in parser.feed(text)] == ["活着"]
    assert parser.rejected == 1


def test_text_after_the_array_is_not_read_as_movies():
    text = '{"movies": [{"title": "活着", "year": 1994}], "extra": [{"title": "不该出现", "year": 2000}]}'
    assert [m.title for m in MovieStreamParser().feed(text)] == ["活着"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("抱歉，我无法回答", "no JSON object"),
        ('{"movies": [{"title": "活着"', "not valid JSON"),
        ('{"movies": [1, 2]}', "expected shape"),
        ("{'movies': []}", "not valid JSON"),
    ],
)
def test_parse_answer_names_the_problem(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_answer(text)
