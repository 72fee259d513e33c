"""The answer reader on what models really write, fed whole, in small pieces and character by character.

Inputs marked with an issue come from public bug reports of other tools (json_repair #57, #88, #140; graphify
#2286; deepseek-ai/DeepSeek-R1 #352; ollama #8837).
"""

import json

import pytest

from movierec.llm.answer_stream import AnswerReader, movie_items, read_answer

CLEAN = json.dumps(
    {
        "movies": [
            {"title": "盗梦空间", "original_title": "Inception", "year": 2010, "reason": "层层嵌套的梦境，{烧脑}"},
            {"title": "恐怖游轮", "original_title": "Triangle", "year": 2009, "reason": '时间循环 "经典"'},
            {"title": "土拨鼠之日", "original_title": "Groundhog Day", "year": 1993, "reason": "温情的循环\\n"},
        ]
    },
    ensure_ascii=False,
)
STEPS = [1, 3, 7, 10_000]


def events(text, step=10_000, truncated=False, reader=None):
    reader = reader or AnswerReader()
    out = []
    for start in range(0, len(text), step):
        out += reader.feed(text[start : start + step])
    return out + reader.finish(truncated=truncated)


def complete(text, step=10_000, truncated=False):
    """(title, original title, year, reason) of each movie read whole, in order."""
    return [
        (e.movie.title, e.movie.original_title, e.movie.year, e.movie.reason)
        for e in events(text, step, truncated)
        if e.complete
    ]


def titles(text, step=10_000, truncated=False):
    return [movie[0] for movie in complete(text, step, truncated)]


@pytest.mark.parametrize("cut", range(len(CLEAN) + 1))
def test_a_stream_split_anywhere_hands_each_movie_over_once_named_and_once_complete(cut):
    reader = AnswerReader()
    seen = reader.feed(CLEAN[:cut]) + reader.feed(CLEAN[cut:]) + reader.finish()
    assert [(e.position, e.complete) for e in seen if e.complete] == [(0, True), (1, True), (2, True)]
    assert [e.movie.title for e in seen if e.complete] == ["盗梦空间", "恐怖游轮", "土拨鼠之日"]
    named = [e for e in seen if not e.complete]
    assert len({e.position for e in named}) == len(named)  # each named at most once, before its completion
    assert complete(CLEAN)[1] == ("恐怖游轮", "Triangle", 2009, '时间循环 "经典"')


def test_a_movie_is_named_once_its_title_and_year_are_known_before_its_reason_is_written():
    reader = AnswerReader()
    head = '{"movies": [{"title": "盗梦空间", "original_title": "Inception", "year": 201'
    assert reader.feed(head) == []
    assert reader.feed("0") == []  # the year could still be 20104: wait for what follows it
    named = reader.feed(', "rea')
    assert [(e.movie.title, e.movie.original_title, e.movie.year, e.movie.reason, e.complete) for e in named] == [
        ("盗梦空间", "Inception", 2010, "", False)
    ]
    assert reader.feed('son": "层层嵌套的梦') == []
    assert reader.feed("境,") == []  # a comma inside the reason is no end of it
    done = reader.feed('"}')
    assert [(e.position, e.movie.reason, e.complete) for e in done] == [(0, "层层嵌套的梦境,", True)]


def test_a_movie_written_with_a_different_key_order_is_named_when_both_are_known():
    reader = AnswerReader()
    assert reader.feed('[{"reason": "a, b", "year": 2010,') == []
    named = reader.feed(' "title": "盗梦空间", ')
    assert [(e.movie.title, e.movie.year, e.movie.reason, e.complete) for e in named] == [
        ("盗梦空间", 2010, "a, b", False)
    ]


def test_an_original_title_written_after_the_year_comes_with_the_complete_movie():
    text = '{"movies": [{"title": "盗梦空间", "year": 2010, "original_title": "Inception", "reason": "r"}]}'
    seen = events(text, step=1)
    assert [(e.movie.original_title, e.complete) for e in seen] == [(None, False), ("Inception", True)]


def test_issue_input_1_a_format_example_inside_thinking_is_never_a_movie():
    text = (
        '<think>格式是 {"movies": [{"title": "中文片名", "original_title": "原名", "year": 1994, "reason": "x"}]}'
        '</think>{"movies": [{"title": "盗梦空间", "original_title": "Inception", "year": 2010, "reason": "r"}]}'
    )
    for step in STEPS:
        assert complete(text, step) == [("盗梦空间", "Inception", 2010, "r")]
        assert {e.movie.title for e in events(text, step)} == {"盗梦空间"}


def test_thinking_without_its_opening_tag_and_an_example_outside_any_tag_are_never_movies():
    # The R1 chat template opens <think> in the prompt, so the content holds only the closing tag (DeepSeek-R1 #352).
    thinking = '用户要科幻片。格式 {"movies": [{"title": "中文片名", "original_title": "原名", "year": 1994}]}'
    answer = '{"movies": [{"title": "星际穿越", "original_title": "Interstellar", "year": 2014, "reason": "r"}]}'
    for step in STEPS:
        seen = events(f"{thinking}\n</think>\n\n{answer}", step)
        assert {e.movie.title for e in seen} == {"星际穿越"}


def test_an_empty_thinking_block_before_the_answer():  # ollama #8837: "<think>\n\n</think>\n\n" then the answer
    assert titles(f"<think>\n\n</think>\n\n{CLEAN}", step=2) == ["盗梦空间", "恐怖游轮", "土拨鼠之日"]


@pytest.mark.parametrize(
    "text",
    [
        f"好的，以下是推荐：\n```json\n{CLEAN}\n```\n希望你喜欢 {{不是 JSON}}",
        f"```\n{CLEAN}\n```",
        f'根据你的需求 {{"兴趣标签": ["科幻"]}}，我推荐：{CLEAN}',  # an echo of the request before the answer
        f"{CLEAN}\n\n以上电影都很经典。如需更多推荐，请告诉我！",
    ],
    ids=["prose-fence-chatter", "bare-fence", "echo-first", "chatter-after"],
)
@pytest.mark.parametrize("step", STEPS)
def test_prose_fences_and_chatter_around_the_answer(text, step):
    assert titles(text, step) == ["盗梦空间", "恐怖游轮", "土拨鼠之日"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"movies":[{"title":"活着","original_title":"活着","year":"1994年","reason":"x"}]}', [("活着", 1994, "x")]),
        ('{"movies":[{"title":"活着","original_title":"活着","year":"约1994","reason":"x"}]}', [("活着", 1994, "x")]),
        ('{"movies":[{"title":"《活着》","year":"1994-1995"}]}', [("活着", 1994, "")]),
        ('{"movies":[{"title":"活着 (1994)","year":1994.0}]}', [("活着", 1994, "")]),
        ('{"movies":[{"title":"活着","year":"1994.0","original_title":null}]}', [("活着", 1994, "")]),
    ],
    ids=["issue-input-4", "about-1994", "range", "title-with-year", "text-float"],
)
@pytest.mark.parametrize("step", STEPS)
def test_loosely_typed_fields(text, expected, step):
    assert [(title, year, reason) for title, _, year, reason in complete(text, step)] == expected


BROKEN = {
    "bare-quotes": (
        '{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "张国荣的"程蝶衣"令人难忘"}, '
        '{"title": "活着", "year": 1994, "reason": "余华"}]}',
        [("霸王别姬", 1993, '张国荣的"程蝶衣"令人难忘'), ("活着", 1994, "余华")],
    ),
    "bare-quotes-and-comma": (  # json_repair #140, in a movie's words
        '{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "片长2小时51分, 被誉为"神作", 值得一看"}, '
        '{"title": "活着", "year": 1994, "reason": "余华"}]}',
        [("霸王别姬", 1993, '片长2小时51分, 被誉为"神作", 值得一看'), ("活着", 1994, "余华")],
    ),
    "doubled-opening-quote": (  # json_repair #57: "title": ""国内…"
        '{"movies": [{"title": ""霸王别姬", "year": 1993, "reason": "r"}, {"title": "活着", "year": 1994}]}',
        [("霸王别姬", 1993, "r"), ("活着", 1994, "")],
    ),
    "full-width-structural-quotes": (  # graphify #2286
        "{“movies”:[{“title”:“霸王别姬”,“year”:1993,“reason”:“张国荣”},{“title”:“活着”,“year”:1994,“reason”:“余华”}]}",
        [("霸王别姬", 1993, "张国荣"), ("活着", 1994, "余华")],
    ),
    "full-width-quotes-inside": (  # json_repair #88
        '{"movies": [{“title”: "霸王别姬", "year": 1993, "reason": "不仅有“咖啡、葡萄”还有百年孤独"}]}',
        [("霸王别姬", 1993, "不仅有“咖啡、葡萄”还有百年孤独")],
    ),
    "trailing-commas": (
        '{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "r",}, {"title": "活着", "year": 1994,},],}',
        [("霸王别姬", 1993, "r"), ("活着", 1994, "")],
    ),
    "single-quotes": (
        "{'movies': [{'title': '霸王别姬', 'year': 1993, 'reason': \"张国荣's best\"}, "
        "{'title': '活着', 'year': 1994}]}",
        [("霸王别姬", 1993, "张国荣's best"), ("活着", 1994, "")],
    ),
    "raw-newline-in-a-string": (
        '{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "第一行\n第二行"}, '
        '{"title": "活着", "year": 1994}]}',
        [("霸王别姬", 1993, "第一行\n第二行"), ("活着", 1994, "")],
    ),
    "missing-comma-in-one-object": (
        '{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "a"}, '
        '{"title": "活着" "year": 1994, "reason": "b"}, '
        '{"title": "阳光灿烂的日子", "year": 1994, "reason": "c"}]}',
        [("霸王别姬", 1993, "a"), ("活着", 1994, "b"), ("阳光灿烂的日子", 1994, "c")],
    ),
    "stray-closing-brace": (
        '{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "a"}}, '
        '{"title": "活着", "year": 1994, "reason": "b"}]}',
        [("霸王别姬", 1993, "a"), ("活着", 1994, "b")],
    ),
    "python-literals": (
        "{'movies': [{'title': '霸王别姬', 'original_title': None, 'year': 1993, 'reason': 'a'}]}",
        [("霸王别姬", 1993, "a")],
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
@pytest.mark.parametrize("step", STEPS)
def test_broken_json_is_repaired_and_one_broken_object_keeps_the_others(case, step):
    text, expected = BROKEN[case]
    assert [(title, year, reason) for title, _, year, reason in complete(text, step)] == expected


def test_with_broken_json_a_movie_is_read_once_the_next_one_begins():
    reader = AnswerReader()
    assert reader.feed('{"movies": [{"title": "霸王别姬", "year": 1993, "reason": "张国荣的"程蝶衣"令人难忘"}, ') == []
    assert [e.movie.title for e in reader.feed('{"title": "活着", "year": 1994')] == ["霸王别姬"]
    assert [e.movie.title for e in reader.finish()] == ["活着"]


def test_invalid_objects_are_counted_and_skipped():
    text = '{"movies": [{"title": "", "year": 2010}, 7, {"title": 12.5}, {"title": "活着", "year": 1994}]}'
    reader = AnswerReader()
    assert [e.movie.title for e in events(text, reader=reader) if e.complete] == ["活着"]
    assert reader.rejected == 3


def test_a_truncated_answer_keeps_every_complete_movie_and_a_named_one_stays_without_its_reason():
    text = CLEAN[: CLEAN.index("温情的")]  # the third movie's reason is cut (finish_reason "length")
    seen = events(text, step=5, truncated=True)
    assert [e.movie.title for e in seen if e.complete] == ["盗梦空间", "恐怖游轮"]
    assert [(e.movie.title, e.movie.reason) for e in seen if not e.complete][-1] == ("土拨鼠之日", "")


def test_a_title_cut_mid_word_is_never_a_movie():
    text = CLEAN[: CLEAN.index("土拨鼠") + 2]
    assert {e.movie.title for e in events(text, step=3, truncated=True)} == {"盗梦空间", "恐怖游轮"}


def test_the_answer_may_go_by_another_name_or_be_a_bare_list():
    movie = {"title": "活着", "year": 1994}
    assert movie_items({"推荐": [movie]}) == [movie]
    assert movie_items({"recommendations": [movie], "note": "x"}) == [movie]
    assert movie_items({"电影列表": [movie]}) == [movie]
    assert movie_items([movie]) == [movie]
    assert movie_items(movie) == [movie]
    assert movie_items([{"兴趣标签": ["科幻"]}, {"movies": [movie]}]) == [movie]  # json-repair's several documents
    assert movie_items({"兴趣标签": ["科幻"]}) is None
    assert titles(json.dumps([movie], ensure_ascii=False), step=2) == ["活着"]


def test_an_empty_list_is_an_answer_without_movies_and_prose_is_none():
    empty, cut, prose = AnswerReader(), AnswerReader(), AnswerReader()
    events('{"movies": []}', reader=empty)
    events('{"movies": [', reader=cut, truncated=True)
    events("抱歉，我无法回答", reader=prose)
    assert (empty.answered, empty.answer_closed) == (True, True)
    assert (cut.answered, cut.answer_closed) == (True, False)
    assert (prose.answered, prose.answer_closed) == (False, False)


def test_text_after_the_answer_is_not_read_as_movies():
    text = '{"movies": [{"title": "活着", "year": 1994}], "extra": [{"title": "不该出现", "year": 2000}]}'
    assert titles(text) == ["活着"]


def test_read_answer_reads_a_whole_answer():
    assert [movie.year for movie in read_answer(f"好的：{CLEAN}")] == [2010, 2009, 1993]


# --- the model's reading of the person's words, written before the movies (issue 21) ------------------------------

READING = [{"words": "粤语", "field": "languages", "value": ["粤语"]}]
WITH_READING = json.dumps({"filters": READING, **json.loads(CLEAN)}, ensure_ascii=False)
READING_AFTER = json.dumps({**json.loads(CLEAN), "filters": READING}, ensure_ascii=False)


@pytest.mark.parametrize("step", STEPS)
def test_the_reading_before_the_movies_is_known_when_their_list_opens(step):
    reader = AnswerReader()
    fed = ""
    for start in range(0, len(WITH_READING), step):
        fed += WITH_READING[start : start + step]
        movies = reader.feed(WITH_READING[start : start + step])
        if movies:  # no movie is handed over before the reading is known
            assert reader.reading == READING
        if '"movies": [' not in fed:
            assert not reader.reading_known
    reader.finish()
    assert (reader.reading_known, reader.reading) == (True, READING)
    assert [movie.title for movie in read_answer(WITH_READING)] == ["盗梦空间", "恐怖游轮", "土拨鼠之日"]


@pytest.mark.parametrize("step", STEPS)
def test_a_reading_written_after_the_movies_is_not_taken(step):
    reader = AnswerReader()
    assert [e.movie.title for e in events(READING_AFTER, step, reader=reader) if e.complete] == [
        "盗梦空间",
        "恐怖游轮",
        "土拨鼠之日",
    ]
    assert (reader.reading_known, reader.reading) == (True, None)


def test_a_reading_in_broken_json_is_read_too():
    broken = WITH_READING.replace('"粤语"]}],', '"粤语"],},],')  # trailing commas: json-repair reads it
    reader = AnswerReader()
    assert len([e for e in events(broken, 7, reader=reader) if e.complete]) == 3
    assert reader.reading == READING
