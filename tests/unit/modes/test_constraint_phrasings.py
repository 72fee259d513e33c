"""The phrasing table: how people really write what they want, gathered from public questions, list titles and other
LLM recommenders' bug reports, with the filters each must give (issue 21).

Each row is the person's words as found (traditional script, English and full-width punctuation kept), where it was
found, and the filters read from it as a theme, as the API stores them (``value`` in the shape ``filters`` takes).
"Today" is fixed, so 今年 and 近五年 are dates a test can state. The words of each filter are the person's own.
"""

from __future__ import annotations

from datetime import date

import pytest

from movierec.modes.read_filters import NothingCanMatch, read_request
from movierec.modes.theme import ThemeRequest

TODAY = date(2026, 3, 1)
ISSUE = "movierec issue 21"
SUGGESTARR = "https://github.com/giuseppe99barchetta/SuggestArr"
STREMIO_AI = "https://github.com/stremio-community/stremio-addons-list/issues/821 (Stremio AI Search's examples)"

KOREA, JAPAN, HONG_KONG, TAIWAN, MAINLAND = ["韩国"], ["日本"], ["中国香港"], ["中国台湾"], ["中国大陆"]
US, UK_US = ["美国"], ["英国", "美国"]
TV = {"kind": "tv"}
HIGH = {"min_rating": 8}
NICHE = {"max_votes": 50_000}
POPULAR = {"min_votes": 100_000}


def years(first=None, last=None):
    return {"years": {"from": first, "to": last}}


def year(one):
    return years(one, one)


def countries(names):
    return {"countries": names}


PHRASINGS = [
    # The issue's own words, and the words it says state nothing.
    ("2015年以后的韩国悬疑片，评分8分以上，别超过两个小时", {**years(2015), **countries(KOREA), **HIGH, "max_runtime": 120}, ISSUE),
    ("90年代港片", {**years(1990, 1999), **countries(HONG_KONG)}, ISSUE),
    ("不要恐怖片", {"genres_exclude": ["恐怖"]}, ISSUE),
    ("想看美剧", {**TV, **countries(US)}, ISSUE),
    ("冷门一点的", NICHE, ISSUE),
    ("2010年前", years(None, 2009), ISSUE),
    ("近五年", years(2021), ISSUE),
    ("今年的", year(2026), ISSUE),
    ("两小时以内", {"max_runtime": 120}, ISSUE),
    ("90分钟以内", {"max_runtime": 90}, ISSUE),
    ("别太血腥", {"genres_exclude": ["恐怖"]}, ISSUE),
    ("像《盗梦空间》", {}, ISSUE),
    ("一部关于时间旅行的电影", {}, ISSUE),
    ("周星驰", {}, ISSUE),
    # Other LLM recommenders' bug reports and the examples they document.
    (
        "A slow-burn spy or crime thriller with morally gray characters and sharp writing, like Slow Horses or MobLand "
        "released after 2025",
        years(2026),  # the reporter expected 2026 or later: English "after" is strict
        f"{SUGGESTARR}/issues/430",
    ),
    ("2025 and later", years(2025), f"{SUGGESTARR}/issues/271"),
    ("A psychological thriller from the 90s with a twist ending", years(1990, 1999), f"{SUGGESTARR} README, AI Search"),
    ("80s sci-fi movies with practical effects", years(1980, 1989), f"{SUGGESTARR} README, AI Search"),
    ("Feel-good anime with strong friendships", {}, f"{SUGGESTARR} README, AI Search"),
    ("A dark comedy series like Breaking Bad", TV, f"{SUGGESTARR} README, AI Search"),
    ("My first batch of suggestions were mostly foreign language films", {}, f"{SUGGESTARR}/issues/57"),
    ("Sci-fi movies from the 80s", years(1980, 1989), STREMIO_AI),
    ("Modern crime series from 2020-2023", {**TV, **years(2020, 2023)}, STREMIO_AI),
    ("Dark mystery thriller series", TV, STREMIO_AI),
    ("A heartwarming comedy about family relationships", {}, STREMIO_AI),
    ("Feel-good movies for a rainy day", {}, STREMIO_AI),
    ("Intense psychological thrillers", {}, STREMIO_AI),
    ("More Russian and Chinese movies", countries(["俄罗斯", "中国"]), "https://github.com/Stremio/stremio-features/issues/1285"),
    ("I'm more interested by movies in French", {"languages": ["法语"]}, "https://github.com/Stremio/stremio-features/issues/16"),
    ("I would like to see movies that are originally in French", {"languages": ["法语"]}, "https://github.com/yaptown/yap/issues/78"),
    # List titles and questions people write and search for (forums, 豆瓣 notes, film sites).
    (
        "2020年至今,在豆瓣上評分最高的10部華語電影",
        {**years(2020), **HIGH, **countries(["中国"])},
        "http://www.senqingzn.com/dy/article/JVRATHNS0539IVUF.html",
    ),
    ("90年代评分最高的7部香港电影", {**years(1990, 1999), **HIGH, **countries(HONG_KONG)}, "https://izhixiu.com/a/569951.html"),
    ("九十年代十大香港電影", {**years(1990, 1999), **countries(HONG_KONG)}, "https://top10bikeguide.com.tw (九十年代十大香港電影的條件)"),
    ("2023年豆瓣评分最高的美剧", {**year(2023), **HIGH, **TV, **countries(US)}, "https://www.renminkaiguan.cn/artdetail-1933.html"),
    ("这六部高分美剧", {**HIGH, **TV, **countries(US)}, "https://yaliqi.com/new/1c9078ba8ca44471a2dfccd7c9b44984"),
    ("2022年高分美剧", {**year(2022), **HIGH, **TV, **countries(US)}, "http://www.studyofnet.com/869092753.html"),
    ("2022上半年最佳英美剧", {**year(2022), **TV, **countries(UK_US)}, "http://www.studyofnet.com/869092753.html"),
    ("2018年豆瓣上评分最高的10部英美剧", {**year(2018), **HIGH, **TV, **countries(UK_US)}, "https://5toutiao.com/haiwaiju/yingju/192936.html"),
    ("2022年度評分最高的5部英美劇", {**year(2022), **HIGH, **TV, **countries(UK_US)}, "http://cartalk2000.net/baike/20230125/2587203.html"),
    ("5部神级英剧", {**TV, **countries(["英国"])}, "http://home.mlwch.com/771a949b680982.html"),
    ("what British TV series I recommend", {**TV, **countries(["英国"])}, "https://susiewoo.com/english/blog (TV Series Recommendations)"),
    ("看那些年一起追的經典美劇學英語", {**TV, **countries(US)}, "https://www.tutorabc.com/blog/blog/detail?postId=57094"),
    ("練習英文聽力最好看的4部美國 Sitcoms", {**TV, **countries(US)}, "https://english.cool/english-series/"),
    ("9 部懸疑韓劇神作", {**TV, **countries(KOREA)}, "https://woman.udn.com/woman/story/123164/9199601"),
    ("韩国十部顶级惊悚片", countries(KOREA), "https://www.cusdn.org.cn/shucs/202510/646394.html"),
    ("韩国高分悬疑电影", {**countries(KOREA), **HIGH}, "https://www.siudz.com (揭秘韩国高分悬疑)"),
    ("2016秋季日剧推荐", {**year(2016), **TV, **countries(JAPAN)}, "https://cn.bg3.co/a/gen-ge-bi-xue-jie-yi-qi-zhui-ju-2016qiu-ji-ri-ju-tui-jian-kan-zhe-li.html"),
    ("2020年有哪些值得一看的日剧", {**year(2020), **TV, **countries(JAPAN)}, "https://juduo.cc/ent/1034772.html"),
    ("2019年日劇TOP10", {**year(2019), **TV, **countries(JAPAN)}, "https://www.upmedia.mg/news_info.php?SerialNo=78589"),
    ("今年有幾部評分極高的電視劇值得一看", {**year(2026), **HIGH, **TV}, "http://m.tjzhglgt.cn/ask/qzfiqpepepe"),
    ("最讓人淚崩的10部日本動畫電影", countries(JAPAN), "https://news.gamme.com.tw/1535254"),
    ("日本黑暗系电影 5 部，风格很强", countries(JAPAN), "https://yingjianribao.com (今日国家精选)"),
    ("今日国家精选：台湾青春电影 5 部，情绪很真实", countries(TAIWAN), "https://yingjianribao.com (今日国家精选)"),
    ("近十年台湾电影十佳榜", {**years(2016), **countries(TAIWAN)}, "https://www.163.com/dy/article/KE1NBVN905568LRJ.html"),
    ("台湾爱情电影排行榜前十名推荐", countries(TAIWAN), "https://m.chachaba.com/yule/filmdp/330372_3.html"),
    ("2018 Top 10 Must-See Taiwanese Films", {**year(2018), **countries(TAIWAN)}, "https://taiwanfilmfestival.org.au/post/top-10-taiwanese"),
    ("a curated list of Taiwanese youth films", countries(TAIWAN), "https://mummer.org/?p=14995"),
    ("最好看的印度電影", countries(["印度"]), "https://top10bikeguide.com.tw (最好看的印度電影)"),
    ("粤语原声的香港影片", {"languages": ["粤语"], **countries(HONG_KONG)}, "https://wxredian.com/art?id=ce900f2b277aebd101afdb9f31d95e05"),
    ("近几年国产电影市场上那些叫好不叫座的冷门佳片", {**years(2021), **countries(MAINLAND), **NICHE}, "https://xzku.cc/hanju/321210.html"),
    ("2020年度国产佳作", {**year(2020), **countries(MAINLAND)}, "http://www.weixintoupiaoqun.com/shujy/202506/294581.html"),
    ("评分最高的国产电影", {**HIGH, **countries(MAINLAND)}, "https://www.ndcgxx.cn/shubk/202506/351236.html"),
    ("2024年好电影挺多的", year(2024), "https://m.jellow.club (2024年好电影)"),
    ("2023年最值得期待的大片", year(2023), "http://hubeilong.com/c/060415330022023.html"),
    ("热门商业大片片单", POPULAR, "http://hubeilong.com/c/060415330022023.html"),
    ("电影院2020年最火的电影", {**year(2020), **POPULAR}, "https://jhzxd.com/xiaoshuo_1393770"),
    ("被低估的冷门电影", NICHE, "https://xiaozhongfilm.com (被低估的冷门电影)"),
    ("评分人数超过1万的作品", {"min_votes": 10_000}, "https://0677260.cn/gf/15615.html (万人法则)"),
    ("豆瓣评分8.5以上影视作品推荐", {"min_rating": 8.5, "kind": "any"}, "https://0677260.cn/gf/15615.html"),
    ("22部高分懸疑恐怖電影", HIGH, "https://cava.tw/entertainment/moviestv/251182"),
    ("评分超高的十部动画电影", HIGH, "http://bbs.longmiaoa.com/archiver/showtopic-12513.aspx"),
    ("21世紀20部經典電影", years(2001), "https://vgover.com/zh-tw/news/8596"),
    (
        "Douban selected the 20 best movies in the past decade, all with a score of 8 or more",
        {**years(2016), **HIGH},
        "https://lujuba.top/en/amp/131925.html",
    ),
    ("Five to Watch: Movies Under 2 Hours", {"max_runtime": 120}, "http://joyce-octobersky.blogspot.com/2020/06/five-to-watch-movies-under-2-hours.html"),
    ("10部片長3小時以上經典電影", {}, "https://www.hk01.com (10部片長3小時以上經典電影): a minimum length is no filter"),
    ("依旧不敢看日本的恐怖片", {}, "http://39.103.169.235/p/b928ec39517f: what one does not dare watch is not asked for"),
]  # fmt: skip


def read(text: str) -> dict[str, object]:
    request = ThemeRequest(mode="theme", theme=text)
    return {found.field: found.model_dump(mode="json")["value"] for found in read_request(request, ("theme",), TODAY)}


def test_the_table_holds_sixty_real_phrasings_each_with_its_source():
    assert len(PHRASINGS) >= 60
    assert len({text for text, _, _ in PHRASINGS}) == len(PHRASINGS)
    assert all(source for _, _, source in PHRASINGS)


@pytest.mark.parametrize(("text", "expected", "source"), PHRASINGS, ids=[text[:24] for text, _, _ in PHRASINGS])
def test_each_phrasing_gives_the_filters_it_states(text, expected, source):
    assert read(text) == expected


@pytest.mark.parametrize(("text", "expected", "source"), PHRASINGS, ids=[text[:24] for text, _, _ in PHRASINGS])
def test_each_filter_keeps_the_persons_own_words(text, expected, source):
    request = ThemeRequest(mode="theme", theme=text)
    for found in read_request(request, ("theme",), TODAY):
        assert found.words
        assert all(words in text for words in found.words)
        assert found.label
        assert found.source == "words"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("2030年以后的科幻片", "「2030年以后」"),
        ("2028年以后上映的", "「2028年以后」"),
        ("评分11分以上的", "「评分11分以上」"),
        ("1800年以前的电影", "「1800年以前」"),
        ("热门又冷门的电影", "「热门」和「冷门」"),
        ("2015年以后、2010年以前的港片", "「2015年以后」"),
    ],
)
def test_words_that_leave_no_film_are_answered_plainly(text, named):
    with pytest.raises(NothingCanMatch) as caught:
        read(text)
    [problem] = caught.value.problems
    assert problem.field == "theme"
    assert named in problem.message


def test_next_years_films_are_on_douban_already_so_they_can_be_asked_for():
    assert read("2027年以后的电影") == years(2027)
