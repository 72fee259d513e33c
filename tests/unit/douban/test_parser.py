"""parse_subject and looks_blocked on hand-written pages in the shape of Douban's real ones."""

from __future__ import annotations

import re

import pytest

from movierec.douban.models import DoubanMovie
from movierec.douban.parser import (
    NotASubjectPage,
    PageRefusal,
    looks_blocked,
    minutes_from_text,
    parse_subject,
    refusal_page,
    split_list,
    split_title,
    year_from_text,
)

SUBJECT_PAGES = [
    "subject_film_2019.html",
    "subject_film_2022.html",
    "subject_tv_2024.html",
    "subject_unrated.html",
    "subject_old_no_jsonld.html",
    "subject_broken_jsonld.html",
]
BLOCKED_PAGES = [
    "blocked_sec_challenge.html",
    "blocked_abnormal_request.html",
    "blocked_login.html",
    "blocked_robot_captcha.html",
]


def without(html: str, pattern: str) -> str:
    """The page with one block cut out; fails loudly if the fixture no longer has it."""
    cut, count = re.subn(pattern, "", html, count=1, flags=re.DOTALL)
    assert count == 1, f"fixture has no {pattern!r}"
    return cut


# --- whole pages, one per layout ------------------------------------------------------------------------


def test_film_2019_layout_with_imdb_link_row_and_several_directors(fixture_text):
    movie = parse_subject(fixture_text("subject_film_2019.html"))

    assert movie == DoubanMovie(
        id="1307914",
        url="https://movie.douban.com/subject/1307914/",
        title="无间道",
        original_title="無間道",
        year=2002,
        kind="movie",
        directors=["刘伟强", "麦兆辉"],
        writers=["麦兆辉", "庄文强"],
        cast=["刘德华", "梁朝伟", "黄秋生", "曾志伟", "郑秀文"],
        genres=["剧情", "犯罪", "惊悚"],  # the page's, not the JSON-LD's 剧情/悬疑/犯罪
        countries=["香港"],
        languages=["粤语"],
        release_dates=["2003-09-05(中国大陆)", "2002-12-12(香港)"],  # page order, first is not the earliest
        runtime_minutes=101,
        aka=["无间道1", "Infernal Affairs"],
        rating=9.3,
        rating_count=1391544,  # the page's, not the JSON-LD's 1388210
        poster_url="https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2564556863.webp",
        summary=(
            "1991年，香港黑帮三合会会员刘健明（刘德华 饰）听从老大韩琛（曾志伟 饰）的吩咐，加入警察部队成为黑帮卧底。\n"
            "与此同时，警察学院优秀学员陈永仁（梁朝伟 饰）被上级要求秘密加入三合会，成为警方卧底。"
        ),
        imdb_id="tt0338564",
    )


def test_film_2022_layout_with_span_actor_imdb_text_row_and_several_release_dates(fixture_text):
    movie = parse_subject(fixture_text("subject_film_2022.html"))

    assert movie == DoubanMovie(
        id="3001114",
        url="https://movie.douban.com/subject/3001114/",
        title="沙丘",
        original_title="Dune",
        year=2021,
        kind="movie",
        directors=["丹尼斯·维伦纽瓦"],
        writers=["乔·斯派茨", "丹尼斯·维伦纽瓦", "艾瑞克·罗斯", "弗兰克·赫伯特"],
        cast=["提莫西·查拉梅", "丽贝卡·弗格森", "奥斯卡·伊萨克", "乔什·布洛林", "斯特兰·斯卡斯加德", "赞达亚"],
        genres=["剧情", "科幻", "冒险"],
        countries=["美国", "加拿大", "匈牙利"],
        languages=["英语", "普通话"],
        release_dates=["2021-10-22(中国大陆)", "2021-09-03(威尼斯电影节)", "2021-10-22(美国)"],
        runtime_minutes=156,
        aka=["沙丘：上", "沙丘瀚战(港)", "Dune: Part One"],
        rating=7.7,
        rating_count=481275,
        poster_url="https://img1.doubanio.com/view/photo/s_ratio_poster/public/p2687443734.webp",
        summary=(  # the full hidden span.all, not the folded "..." one
            "影片讲述了天赋异禀的少年保罗·厄崔迪（提莫西·查拉梅 饰）注定要前往宇宙中最危险的星球，"
            "以确保其家族和人民的未来。\n"
            "当邪恶势力为争夺这颗星球上独家供应的珍贵资源而发生冲突时，只有那些能够征服内心恐惧的人才能生存下来。"
        ),
        imdb_id="tt1160419",
    )


def test_tv_2024_layout_with_premiere_episodes_and_season_select(fixture_text):
    movie = parse_subject(fixture_text("subject_tv_2024.html"))

    assert movie.kind == "tv"
    assert (movie.title, movie.original_title) == ("冰血暴 第一季", "Fargo Season 1")  # a title with a space
    assert movie.year == 2014
    assert movie.release_dates == ["2014-04-15(美国)"]  # the 首播 row
    assert (movie.episodes, movie.episode_minutes, movie.runtime_minutes) == (10, 53, None)
    assert movie.directors == ["亚当·伯恩斯坦", "兰德尔·艾恩斯坦", "科林·巴克西"]  # personage links
    assert movie.cast == ["比利·鲍勃·松顿", "马丁·弗瑞曼", "艾莉森·托尔曼", "Joey King"]  # bare span row
    assert movie.writers == ["诺亚·霍利"]
    assert movie.genres == ["剧情", "惊悚", "犯罪"]
    assert movie.aka == ["冰血暴 第1季", "雪地惊魂 第一季", "冰雪暴(港)"]
    assert (movie.rating, movie.rating_count) == (9.3, 102761)
    assert movie.imdb_id == "tt2802850"
    assert movie.summary == (
        "明尼苏达州的小镇贝米吉，平凡的保险推销员莱斯特（马丁·弗瑞曼 饰）的生活因为一个陌生人的出现而彻底改变。"
    )


def test_tv_is_recognised_by_its_rows_even_without_json_ld(fixture_text):
    html = without(fixture_text("subject_tv_2024.html"), r'<script type="application/ld\+json">.*?</script>')

    movie = parse_subject(html)

    assert (movie.kind, movie.episodes, movie.episode_minutes) == ("tv", 10, 53)


@pytest.mark.parametrize("reason", ["尚未上映", "暂无评分", "评价人数不足"])
def test_unrated_film_has_no_rating_and_missing_rows_are_empty(fixture_text, reason):
    movie = parse_subject(fixture_text("subject_unrated.html").replace("尚未上映", reason))

    assert (movie.title, movie.original_title, movie.year) == ("复仇者联盟：末日", "Avengers: Doomsday", 2026)
    assert (movie.rating, movie.rating_count) == (None, None)
    assert movie.directors == ["安东尼·罗素", "乔·罗素"]
    assert (movie.writers, movie.cast) == ([], [])
    assert (movie.runtime_minutes, movie.imdb_id, movie.summary) == (None, None, None)
    assert movie.release_dates == ["2026-12-18(美国)"]


def test_old_page_without_json_ld_bare_year_date_free_text_runtime_and_no_original_title(fixture_text):
    movie = parse_subject(fixture_text("subject_old_no_jsonld.html"))

    assert movie.id == "1306842"  # from the mobile-agent link, the page has neither og:url nor JSON-LD
    assert (movie.title, movie.original_title) == ("青少年哪吒", None)
    assert movie.release_dates == ["1993-03-10(法国)", "1992(中国台湾)"]
    assert movie.year == 1992
    assert movie.runtime_minutes == 106  # "106分钟" with no v:runtime
    assert movie.imdb_id is None
    assert movie.directors == ["蔡明亮"]
    assert movie.cast == ["李康生", "陈昭荣", "王渝文"]
    assert movie.languages == ["汉语普通话", "闽南语"]
    assert (movie.rating, movie.rating_count) == (7.9, 20437)


def test_year_falls_back_to_the_earliest_release_date_not_the_first(fixture_text):
    html = without(fixture_text("subject_old_no_jsonld.html"), r'<span class="year">.*?</span>')

    assert parse_subject(html).year == 1992


# --- JSON-LD: parsed although broken, used only for what the page lacks ---------------------------------


def test_visible_page_wins_over_broken_json_ld(fixture_text):
    movie = parse_subject(fixture_text("subject_broken_jsonld.html"))

    assert (movie.title, movie.original_title, movie.year) == ("坚不可摧", "Unbroken", 2014)
    assert movie.genres == ["剧情", "传记", "战争"]  # JSON-LD: 传记/剧情/战争
    assert movie.release_dates == ["2014-12-25(美国)", "2014-11-17(澳大利亚)"]  # JSON-LD: 2014-11-17
    assert movie.rating_count == 51317  # JSON-LD: 51002
    assert movie.runtime_minutes == 137  # "约137min"; JSON-LD: PT2H18M
    assert movie.cast == ["杰克·奥康奈尔", "多姆纳尔·格里森", "宫原贵"]
    assert movie.imdb_id == "tt1809398"


def test_broken_json_ld_fills_cast_with_entities_decoded(fixture_text):
    html = without(fixture_text("subject_broken_jsonld.html"), r'<span class="actor">.*?<br/>')

    assert parse_subject(html).cast == ["杰克·奥康奈尔 Jack O'Connell", "多姆纳尔·格里森 Domhnall Gleeson"]


def test_broken_json_ld_fills_summary_despite_raw_newlines(fixture_text):
    html = without(fixture_text("subject_broken_jsonld.html"), r'<span property="v:summary".*?</span>')

    assert parse_subject(html).summary == (
        "路易·赞佩里尼（杰克·奥康奈尔 饰）是一名奥运长跑选手。\n二战爆发后他加入美国空军，飞机坠毁后在海上漂流了47天。"
    )


def test_json_ld_fills_runtime_rating_and_poster_only_when_the_page_lacks_them(fixture_text):
    html = fixture_text("subject_broken_jsonld.html")
    html = without(html, r'<span class="pl">片长:</span>.*?<br/>')
    html = without(html, r'<div class="rating_self.*?</div>\s*</div>\s*</div>')
    html = without(html, r'<div id="mainpic".*?</div>')
    html = without(html, r'<meta property="og:image"[^>]*>')

    movie = parse_subject(html)

    assert movie.runtime_minutes == 138
    assert (movie.rating, movie.rating_count) == (7.4, 51002)
    assert movie.poster_url == "https://img2.doubanio.com/view/photo/s_ratio_poster/public/p2219386092.jpg"


def test_pages_without_json_ld_parse_the_same(fixture_text):
    for name in ["subject_film_2019.html", "subject_film_2022.html", "subject_broken_jsonld.html"]:
        html = fixture_text(name)
        bare = without(html, r'<script type="application/ld\+json">.*?</script>')
        assert parse_subject(bare) == parse_subject(html), name


# --- titles and ids -------------------------------------------------------------------------------------


def test_title_tag_decides_where_a_chinese_title_with_spaces_ends():
    html = """<html><head><title>机动战士高达 闪光的哈萨维 (豆瓣)</title>
        <meta property="og:url" content="https://movie.douban.com/subject/30428739/" /></head>
        <body><h1><span property="v:itemreviewed">机动战士高达 闪光的哈萨维 機動戦士ガンダム 閃光のハサウェイ</span>
        <span class="year">(2021)</span></h1></body></html>"""

    movie = parse_subject(html)

    assert (movie.title, movie.original_title) == ("机动战士高达 闪光的哈萨维", "機動戦士ガンダム 閃光のハサウェイ")
    assert (movie.id, movie.year) == ("30428739", 2021)


@pytest.mark.parametrize("with_title_tag", [True, False])
def test_a_title_keeps_douban_s_spaces_and_loses_invisible_marks(with_title_tag):
    title_tag = "<title>\n    神秘博士  第四季 (豆瓣)\n</title>" if with_title_tag else ""
    html = f"""<html><head>{title_tag}
        <meta property="og:url" content="https://movie.douban.com/subject/3016291/" /></head>
        <body><h1><span property="v:itemreviewed">\u200b神秘博士  第四季 Doctor Who Season 4\u200e</span>
        <span class="year">(2008)</span></h1></body></html>"""

    movie = parse_subject(html)

    assert (movie.title, movie.original_title) == ("神秘博士  第四季", "Doctor Who Season 4")


def test_a_region_mark_with_a_slash_is_one_aka():
    html = """<html><head><meta property="og:url" content="https://movie.douban.com/subject/1292722/" /></head>
        <body><h1><span property="v:itemreviewed">泰坦尼克号 Titanic</span></h1>
        <div id="info">
        <span class="pl">又名:</span> 铁达尼号(港 / 台) / 铁达尼号\u200e / 泰坦尼克<br/>
        </div></body></html>"""

    assert parse_subject(html).aka == ["铁达尼号(港 / 台)", "铁达尼号", "泰坦尼克"]


def test_poster_alt_splits_the_title_when_the_title_tag_is_missing(fixture_text):
    html = without(fixture_text("subject_tv_2024.html"), r"<title>.*?</title>")

    movie = parse_subject(html)

    assert (movie.title, movie.original_title) == ("冰血暴 第一季", "Fargo Season 1")


def test_given_id_and_base_url_build_the_url(fixture_text):
    movie = parse_subject(fixture_text("subject_film_2022.html"), subject_id="42", base_url="http://localhost:8080/")

    assert (movie.id, movie.url) == ("42", "http://localhost:8080/subject/42/")


def test_a_partial_page_gives_what_it_has():
    html = '<h1><span property="v:itemreviewed">盗梦空间 Inception</span></h1>'

    movie = parse_subject(html, subject_id="3541415")

    assert (movie.title, movie.original_title) == ("盗梦空间", "Inception")
    assert movie.year is movie.rating is movie.poster_url is movie.summary is movie.imdb_id is None
    assert movie.directors == movie.cast == movie.release_dates == []


NOT_SUBJECT_PAGES = ["", "   ", "garbage", "<title>x</title>", "<html><body><p>页面不存在</p></body></html>"]


@pytest.mark.parametrize("html", NOT_SUBJECT_PAGES)
def test_no_title_raises_not_a_subject_page(html):
    with pytest.raises(NotASubjectPage):
        parse_subject(html, subject_id="1")


@pytest.mark.parametrize("name", BLOCKED_PAGES)
def test_blocked_pages_are_not_subject_pages(fixture_text, name):
    with pytest.raises(NotASubjectPage):
        parse_subject(fixture_text(name))


def test_a_title_without_any_id_raises_not_a_subject_page():
    with pytest.raises(NotASubjectPage, match="subject_id"):
        parse_subject('<span property="v:itemreviewed">盗梦空间 Inception</span>')


def test_not_a_subject_page_is_a_value_error():
    assert issubclass(NotASubjectPage, ValueError)


# --- blocked pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BLOCKED_PAGES)
def test_blocked_pages_look_blocked(fixture_text, name):
    assert looks_blocked(fixture_text(name))


def test_a_bare_redirect_to_the_challenge_looks_blocked():
    assert looks_blocked(
        "<script>window.location.href='https://sec.douban.com/b?r=https%3A%2F%2Fmovie.douban.com'</script>"
    )


@pytest.mark.parametrize("name", SUBJECT_PAGES)
def test_subject_pages_do_not_look_blocked_despite_their_login_link(fixture_text, name):
    html = fixture_text(name)

    assert "accounts" in html  # every real page's nav bar links to the login page
    assert not looks_blocked(html)


def test_a_subject_page_quoting_a_block_message_is_not_blocked(fixture_text):
    html = fixture_text("subject_old_no_jsonld.html").replace("是个重考生", "是个重考生（检测到有异常请求）")

    assert not looks_blocked(html)


@pytest.mark.parametrize("html", ["", "<html><body><p>页面不存在</p></body></html>"])
def test_empty_and_not_found_pages_are_not_blocked(html):
    assert not looks_blocked(html)


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("blocked_sec_challenge.html", PageRefusal.CHALLENGE),
        ("blocked_abnormal_request.html", PageRefusal.ABNORMAL_REQUEST),
        ("blocked_login.html", PageRefusal.LOGIN),
        ("blocked_robot_captcha.html", PageRefusal.CAPTCHA),
    ],
)
def test_each_anti_bot_page_is_told_apart(fixture_text, name, refusal):
    assert refusal_page(fixture_text(name)) is refusal


def test_the_2026_challenge_form_is_a_challenge():
    """The form of the page sec.douban.com/c serves in 2026 (../shared/douban-2026/sec_challenge_form_block.html's
    shape: tok, cha, sol, red, posting to /c), alone, without the words around it."""
    from tests.fakes.douban_server import CHALLENGE_PAGE

    form = CHALLENGE_PAGE[CHALLENGE_PAGE.index("<form") : CHALLENGE_PAGE.index("</form>") + 7]
    assert refusal_page(form) is PageRefusal.CHALLENGE
    assert refusal_page(CHALLENGE_PAGE) is PageRefusal.CHALLENGE


def test_a_ban_page_is_an_abnormal_request():
    page = "<html><body><script>location.href='https://sec.douban.com/b?r=https%3A%2F%2Fm.douban.com'</script></body></html>"
    assert refusal_page(page) is PageRefusal.ABNORMAL_REQUEST


@pytest.mark.parametrize("name", SUBJECT_PAGES)
def test_subject_pages_are_no_refusal(fixture_text, name):
    assert refusal_page(fixture_text(name)) is None


# --- text helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("148分钟", 148),
        ("约60min", 60),
        ("120分钟", 120),
        ("148分钟 / 162分钟(加长版)", 148),
        ("2小时6分钟", 126),
        ("PT1H39M", 99),
        ("PT0H53M", 53),
        ("99", 99),
        ("", None),
        (None, None),
    ],
)
def test_minutes_from_text(text, minutes):
    assert minutes_from_text(text) == minutes


@pytest.mark.parametrize(
    ("text", "year"),
    [("(2010)", 2010), ("2010-09-01(中国大陆)", 2010), ("1992(中国台湾)", 1992), ("暂无", None), (None, None)],
)
def test_year_from_text(text, year):
    assert year_from_text(text) == year


def test_split_list_splits_on_spaced_slashes_only():
    assert split_list(" 美国 /  英国 / AC/DC ") == ["美国", "英国", "AC/DC"]
    assert split_list("潜行凶间(港) / 全面启动（台 / 港） / 奠基") == ["潜行凶间(港)", "全面启动（台 / 港）", "奠基"]
    assert split_list(None) == []


@pytest.mark.parametrize(
    ("combined", "title", "original", "expected"),
    [
        ("盗梦空间 Inception", "盗梦空间", None, ("盗梦空间", "Inception")),
        ("女子分手专家", "女子分手专家", None, ("女子分手专家", None)),
        ("冰血暴 第一季 Fargo Season 1", None, "Fargo Season 1", ("冰血暴 第一季", "Fargo Season 1")),
        ("冰血暴 第一季 Fargo Season 1", None, None, ("冰血暴 第一季", "Fargo Season 1")),
        ("千与千寻 千と千尋の神隠し", None, None, ("千与千寻", "千と千尋の神隠し")),
        ("爱情神话 2", None, None, ("爱情神话 2", None)),
        ("Tenet", None, None, ("Tenet", None)),
    ],
)
def test_split_title(combined, title, original, expected):
    assert split_title(combined, title=title, original_title=original) == expected
