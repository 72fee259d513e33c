"""Title keys on names as Douban writes them (subject pages, 又名 rows, suggest and mobile answers) and as people
and models type them. The shapes come from real Douban pages and other Douban tools' public bug reports."""

from __future__ import annotations

import pytest

from movierec.douban.title_keys import (
    Closeness,
    TitleName,
    closeness,
    comparable_text,
    simplified,
    title_key,
    without_invisible_marks,
)


def same_title(a: str, b: str) -> bool:
    return bool(title_key(a)) and title_key(a) == title_key(b)


# --- scripts and widths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "douban"),
    [
        ("盜夢空間", "盗梦空间"),  # traditional script
        ("掃毒2：天地對決", "扫毒2天地对决"),  # a real page's original title against its title
        ("籠民", "笼民"),
        ("俗女養成記2", "俗女养成记2"),
        ("轉生貴族憑鑑定技能扭轉人生", "转生贵族凭鉴定技能扭转人生"),
        ("全面啟動", "全面启动(台)"),  # a Taiwan name, typed in its own script
        ("Ｘ战警：天启", "X战警：天启"),  # full-width letters and colon
        ("２０４６", "2046"),
        ("X战警:天启", "X战警：天启"),  # half-width colon
        ("哈利·波特与魔法石", "哈利波特与魔法石"),  # middle dot
        ("哈利・波特与魔法石", "哈利•波特与魔法石"),  # katakana middle dot, bullet
        ("杀手界·疾风号", "杀手界・疾风号"),
        ("Spider-Man: No Way Home", "spiderman no way home"),  # dash, colon, spaces, case
        ("蜘蛛侠—英雄无归", "蜘蛛侠：英雄无归"),  # em dash
        ("  The  Dark Knight ", "THE DARK KNIGHT"),
        ("你好，李焕英！", "你好李焕英"),
        ("Game of Thrones Season 8\u200e", "Game of Thrones Season 8"),  # the abstract's invisible mark
        ("\ufeff\u200b盗梦空间\u200f", "盗梦空间"),
        ("神秘博士  第四季", "神秘博士 第四季"),  # Douban's two spaces
    ],
)
def test_scripts_widths_punctuation_case_and_invisible_marks_do_not_count(typed, douban):
    assert same_title(typed, douban)


def test_the_helpers_behind_the_key():
    assert simplified("盜夢空間 Inception") == "盗梦空间 Inception"  # nothing else changed
    assert without_invisible_marks("Season 8\u200e\u202a\u2066") == "Season 8"
    assert comparable_text("周星馳 Stephen Chow") == "周星驰stephenchow"  # names of people: no title rules
    assert comparable_text("赤壁 下") == "赤壁下"


# --- decorations that never change the title ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "douban"),
    [
        ("《盗梦空间》", "盗梦空间"),
        ("“盗梦空间”", "盗梦空间"),
        ("「千与千寻」", "千与千寻"),
        ("'Inception'", "Inception"),
        ("盗梦空间 (2010)", "盗梦空间"),  # a year the person appended
        ("盗梦空间（2010）", "盗梦空间"),
        ("盗梦空间(2010年)", "盗梦空间"),
        ("潜行凶间", "潜行凶间(港)"),  # 又名 of a real page: 潜行凶间(港) / 全面启动(台)
        ("全面启动", "全面启动(台)"),
        ("终极追杀令", "终极追杀令(台)"),
        ("铁达尼号", "铁达尼号(港 / 台)"),
        ("铁达尼号", "铁达尼号(港/台)"),
        ("神隐少女", "神隐少女(臺)"),
        ("一个快乐的传说", "一个快乐的传说(中国香港)"),
        ("战狼", "战狼(中国大陆)"),
        ("刺激1995", "刺激1995(台)"),
    ],
)
def test_wrappers_years_and_region_marks_are_not_part_of_the_title(typed, douban):
    assert same_title(typed, douban)


def test_a_trailing_year_is_kept_as_the_names_year():
    assert TitleName.parse("盗梦空间 (2010)").year == 2010
    assert TitleName.parse("潜行凶间(港) (2010)") == TitleName(work="潜行凶间", year=2010)
    assert TitleName.parse("盗梦空间").year is None
    assert TitleName.parse("(2046)") == TitleName(work="2046")  # nothing before it: the title, not a year


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2046 (2004)", "2004"),  # a year-like title is a title, not a year
        ("1917", "1918"),
        ("Blade Runner 2049", "Blade Runner"),  # a year inside a title stays
        ("X战警", "X战警：天启"),  # a subtitle is another film
        ("欢乐颂2", "欢乐颂"),  # so is a sequel number
        ("在路上", "在路"),  # 上 ends the title; it is no part marker
        ("天下第一", "天下"),
        ("赤壁(下)：决战天下", "赤壁"),  # a marker inside the title stays
        ("封神第一部：朝歌风云", "封神"),
        ("战狼(吴京)", "战狼"),  # only places are region marks
        ("歌手2026", "歌手"),  # a year in a show's brand is no season (another tool's bug report)
        ("问心2", "问心"),
        ("？！", "？！"),  # nothing left: no key, equal to nothing
    ],
)
def test_what_is_part_of_the_title_stays(a, b):
    assert not same_title(a, b)


# --- markers: installments and film editions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "work", "installment"),
    [
        ("冰血暴 第一季", "冰血暴", 1),
        ("冰血暴 第1季", "冰血暴", 1),  # a mobile API 又名
        ("冰血暴第 1 季", "冰血暴", 1),
        ("神秘博士  第四季", "神秘博士", 4),
        ("恶搞之家  第二季", "恶搞之家", 2),
        ("中餐厅 第十季", "中餐厅", 10),
        ("飞出个未来 第十四季", "飞出个未来", 14),
        ("西部世界 第二十一季", "西部世界", 21),
        ("Fargo Season 1", "fargo", 1),  # a suggest sub_title
        ("Westworld Season Four", "westworld", 4),
        ("Fargo S01", "fargo", 1),
        ("Fargo s2", "fargo", 2),
        ("Sherlock Series 2", "sherlock", 2),
        ("進撃の巨人 Season 2", "进撃の巨人", 2),
        ("Re:ゼロから始める異世界生活 2nd season", "reゼロから始める异世界生活", 2),
        ("슬기로운 의사생활 시즌2", "슬기로운의사생활", 2),
        ("我爱我家 第一部", "我爱我家", 1),
        ("工作细胞 第2期", "工作细胞", 2),
        ("哈利·波特与死亡圣器(上)", "哈利波特与死亡圣器", 1),
        ("哈利·波特与死亡圣器（下）", "哈利波特与死亡圣器", 2),
        ("暮光之城4：破晓(上)", "暮光之城4破晓", 1),
        ("赤壁 下", "赤壁", 2),
        ("赤壁：下集", "赤壁", 2),
        ("赤壁下集", "赤壁", 2),
        ("Harry Potter and the Deathly Hallows: Part 1", "harrypotterandthedeathlyhallows", 1),
        ("Harry Potter and the Deathly Hallows: Part II", "harrypotterandthedeathlyhallows", 2),
        ("Dune: Part Two", "dune", 2),
    ],
)
def test_installment_markers_are_read_out(title, work, installment):
    name = TitleName.parse(title)
    assert (name.work, name.installment, name.edition) == (work, installment, False)


@pytest.mark.parametrize(
    "title", ["Counterpart 2", "Cars 2", "Ocean's 11", "Jesus 2", "Alien³", "Sisu", "X-Men 2", "少林寺", "第一季", "上"]
)
def test_what_only_looks_like_a_marker_is_none(title):
    assert TitleName.parse(title).installment is None


@pytest.mark.parametrize(
    ("title", "work"),
    [
        ("紫罗兰永恒花园 剧场版", "紫罗兰永恒花园"),
        ("劇場版 ヴァイオレット・エヴァーガーデン", "ヴァイオレットエヴァーガーデン"),
        ("深夜食堂 电影版", "深夜食堂"),
        ("深夜食堂(电影版)", "深夜食堂"),
        ("爱情公寓大电影", "爱情公寓"),
    ],
)
def test_film_editions_are_read_out(title, work):
    name = TitleName.parse(title)
    assert (name.work, name.edition) == (work, True)


def test_keys_spell_markers_one_way():
    assert title_key("冰血暴 第一季") == title_key("冰血暴 第1季") == title_key("冰血暴 S01") == "冰血暴/1"
    assert title_key("Fargo Season 1") == "fargo/1"
    assert title_key("深夜食堂 电影版") == title_key("剧场版 深夜食堂") == "深夜食堂/剧场版"
    assert title_key("盗梦空间 (2010)") == "盗梦空间"
    assert title_key("剧场版") == "剧场版"  # a marker alone is the title
    assert title_key("") == title_key(None) == title_key("《》") == ""


# --- closeness -----------------------------------------------------------------------------------------------


def close(wanted: str, found: str, found_is_tv: bool = False) -> Closeness | None:
    return closeness(TitleName.parse(wanted), TitleName.parse(found), found_is_tv)


def test_the_same_title_whatever_the_spelling():
    assert close("冰血暴 第1季", "冰血暴 第一季", found_is_tv=True) is Closeness.SAME
    assert close("盜夢空間", "盗梦空间") is Closeness.SAME


def test_a_show_name_contains_its_seasons_parts_and_film_edition():
    assert close("冰血暴", "冰血暴 第一季", found_is_tv=True) is Closeness.CONTAINS
    assert close("西部世界", "西部世界 第四季", found_is_tv=True) is Closeness.CONTAINS
    assert close("Fargo", "Fargo Season 1", found_is_tv=True) is Closeness.CONTAINS
    assert close("哈利·波特与死亡圣器", "哈利·波特与死亡圣器(上)") is Closeness.CONTAINS
    assert close("紫罗兰永恒花园", "紫罗兰永恒花园 剧场版") is Closeness.CONTAINS


@pytest.mark.parametrize(
    ("show", "season"),
    [  # seasons other Douban tools matched wrongly, from their public bug reports
        ("星期三", "星期三 第二季"),
        ("恶搞之家", "恶搞之家  第二季"),
        ("末日地堡", "末日地堡 第二季"),
        ("Silo", "Silo Season 2"),
        ("西部世界", "西部世界 第四季"),
        ("西方极乐园", "西方极乐园 第四季(台)"),
        ("中餐厅", "中餐厅 第十季"),
        ("乘风破浪的姐姐", "乘风破浪的姐姐 第七季"),
    ],
)
def test_real_season_titles_belong_to_their_show(show, season):
    assert close(show, season, found_is_tv=True) is Closeness.CONTAINS


def test_a_marker_douban_leaves_out_is_unmarked():
    assert close("北海鲸梦 第一季", "北海鲸梦", found_is_tv=True) is Closeness.UNMARKED  # a single-season series
    assert close("深夜食堂 电影版", "深夜食堂") is Closeness.UNMARKED


def test_other_seasons_and_a_first_season_of_a_film_are_unrelated():
    assert close("冰血暴 第一季", "冰血暴 第二季", found_is_tv=True) is None
    assert close("冰血暴 第二季", "冰血暴", found_is_tv=True) is None  # the unmarked entry is the first season
    assert close("冰血暴 第一季", "冰血暴", found_is_tv=False) is None  # the 1996 film
    assert close("哈利·波特与死亡圣器(下)", "哈利·波特与死亡圣器(上)") is None
    assert close("X战警", "X战警：天启") is None
    assert close("", "") is None
