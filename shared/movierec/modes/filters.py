"""Hard filters any request may carry: told to the model, and enforced on Douban's own data after the lookup.

Each filter is checked against the :class:`~movierec.douban.models.DoubanMovie` the lookup found, never against
what the model said. The same filters come from the 筛选 sheet (a request's ``filters``) and from the person's own
words (:mod:`movierec.modes.read_filters`). A value the card does not show cannot be checked, and a hard filter
that cannot be checked is not met: the card is not shown, and its note says why (Douban showing no rating at all is
itself a fact: a film without a rating never meets ``min_rating``). A partial card (Douban's search entry alone,
while Douban blocks) knows only its title, year and kind, so it meets ``years`` and ``kind`` and no other filter.
Pure.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from movierec.douban.models import DoubanMovie
from movierec.douban.title_keys import comparable_text
from movierec.modes.fields import WholeNumber, user_text

Kind = Literal["movie", "tv", "any"]
Genre = user_text(10)

# --- countries and regions, as Douban names them ----------------------------------------------------------------


def _names(*groups: str) -> frozenset[str]:
    return frozenset(name for group in groups for name in group.split())


# What subject pages write under 制片国家/地区 (中国大陆, 中国香港 and 中国台湾 since about 2019; older pages 香港 and
# 台湾), countries that no longer exist included, since their films do. `中国` is taken too: it means the mainland,
# Hong Kong and Taiwan alike (see _region_matches).
DOUBAN_REGIONS = _names(
    "中国 中国大陆 中国香港 中国台湾 中国澳门 香港 台湾 澳门",
    "美国 加拿大 墨西哥 古巴 牙买加 海地 多米尼加 波多黎各 危地马拉 哥斯达黎加 巴拿马 萨尔瓦多 洪都拉斯 尼加拉瓜",
    "巴西 阿根廷 智利 秘鲁 哥伦比亚 委内瑞拉 乌拉圭 巴拉圭 玻利维亚 厄瓜多尔",
    "英国 爱尔兰 法国 德国 西德 东德 意大利 西班牙 葡萄牙 荷兰 比利时 卢森堡 瑞士 奥地利 列支敦士登 摩纳哥",
    "瑞典 丹麦 挪威 芬兰 冰岛 格陵兰 希腊 塞浦路斯 马耳他 波兰 捷克 斯洛伐克 捷克斯洛伐克 匈牙利 罗马尼亚",
    "保加利亚 南斯拉夫 塞尔维亚 克罗地亚 斯洛文尼亚 波黑 波斯尼亚和黑塞哥维那 黑山 北马其顿 马其顿 阿尔巴尼亚",
    "科索沃 爱沙尼亚 拉脱维亚 立陶宛 苏联 俄罗斯 乌克兰 白俄罗斯 摩尔多瓦 格鲁吉亚 亚美尼亚 阿塞拜疆",
    "日本 韩国 朝鲜 蒙古 印度 巴基斯坦 孟加拉 孟加拉国 斯里兰卡 尼泊尔 不丹 阿富汗 伊朗 伊拉克 叙利亚 黎巴嫩",
    "以色列 巴勒斯坦 约旦 沙特阿拉伯 阿联酋 阿拉伯联合酋长国 卡塔尔 科威特 巴林 阿曼 也门 土耳其",
    "哈萨克斯坦 吉尔吉斯斯坦 乌兹别克斯坦 塔吉克斯坦 土库曼斯坦 泰国 越南 柬埔寨 老挝 缅甸 马来西亚 新加坡",
    "印度尼西亚 印尼 菲律宾 文莱 东帝汶 澳大利亚 新西兰 斐济 巴布亚新几内亚",
    "埃及 摩洛哥 突尼斯 阿尔及利亚 利比亚 苏丹 埃塞俄比亚 肯尼亚 坦桑尼亚 乌干达 卢旺达 索马里 尼日利亚 加纳",
    "塞内加尔 马里 布基纳法索 科特迪瓦 喀麦隆 刚果（金） 刚果（布） 刚果民主共和国 安哥拉 莫桑比克 津巴布韦",
    "赞比亚 纳米比亚 博茨瓦纳 南非 马达加斯加 毛里塔尼亚 乍得 尼日尔 几内亚 贝宁 多哥",
)

# What people (and other sites) call them: English names and codes, short forms. Script, width and case do not count.
REGION_ALIASES = {
    "美国": ["USA", "US", "U.S.", "U.S.A.", "United States", "America", "美", "美利坚"],
    "中国": ["China", "华语"],
    "中国大陆": ["大陆", "内地", "中国内地", "Mainland China", "China Mainland", "PRC"],
    "中国香港": ["Hong Kong", "HK", "港"],
    "中国台湾": ["Taiwan", "TW", "台"],
    "中国澳门": ["Macau", "Macao"],
    "英国": ["UK", "U.K.", "United Kingdom", "Britain", "Great Britain", "England", "英格兰", "苏格兰", "英"],
    "日本": ["Japan", "JP", "日"],
    "韩国": ["South Korea", "Korea", "KR", "南韩", "韩"],
    "朝鲜": ["North Korea", "北韩"],
    "法国": ["France", "法"],
    "德国": ["Germany", "德"],
    "意大利": ["Italy", "意"],
    "西班牙": ["Spain"],
    "印度": ["India"],
    "泰国": ["Thailand", "泰"],
    "俄罗斯": ["Russia", "俄"],
    "加拿大": ["Canada"],
    "澳大利亚": ["Australia", "澳洲"],
    "新西兰": ["New Zealand"],
    "爱尔兰": ["Ireland"],
    "伊朗": ["Iran"],
    "巴西": ["Brazil"],
    "墨西哥": ["Mexico"],
    "阿根廷": ["Argentina"],
    "瑞典": ["Sweden"],
    "丹麦": ["Denmark"],
    "挪威": ["Norway"],
    "芬兰": ["Finland"],
    "荷兰": ["Netherlands", "Holland"],
    "比利时": ["Belgium"],
    "波兰": ["Poland"],
    "土耳其": ["Turkey", "Türkiye"],
    "以色列": ["Israel"],
    "新加坡": ["Singapore"],
    "马来西亚": ["Malaysia"],
    "菲律宾": ["Philippines"],
    "越南": ["Vietnam", "Viet Nam"],
    "印度尼西亚": ["Indonesia"],
    "苏联": ["Soviet Union", "USSR"],
    "南非": ["South Africa"],
}


# Regions people name as one (欧美, 北欧): a filter may name the group, which any of its countries meets. Douban writes
# only countries, so a group is never a value Douban shows.
REGION_GROUPS = {
    "欧洲": _names(
        "英国 爱尔兰 法国 德国 西德 东德 意大利 西班牙 葡萄牙 荷兰 比利时 卢森堡 瑞士 奥地利 瑞典 丹麦 挪威 芬兰 冰岛",
        "希腊 波兰 捷克 斯洛伐克 捷克斯洛伐克 匈牙利 罗马尼亚 保加利亚 南斯拉夫 塞尔维亚 克罗地亚 斯洛文尼亚 苏联",
        "俄罗斯 乌克兰 白俄罗斯 爱沙尼亚 拉脱维亚 立陶宛 波黑 北马其顿 阿尔巴尼亚 马耳他 塞浦路斯 摩纳哥",
    ),
    "北欧": _names("瑞典 丹麦 挪威 芬兰 冰岛"),
    "东南亚": _names("泰国 越南 柬埔寨 老挝 缅甸 马来西亚 新加坡 印度尼西亚 印尼 菲律宾 文莱 东帝汶"),
    "拉美": _names("墨西哥 古巴 巴西 阿根廷 智利 秘鲁 哥伦比亚 委内瑞拉 乌拉圭 巴拉圭 玻利维亚 厄瓜多尔 波多黎各"),
}
REGION_GROUPS["欧美"] = REGION_GROUPS["欧洲"] | _names("美国 加拿大 澳大利亚 新西兰")
GROUP_ALIASES = {
    "欧美": ["Western", "西方"],
    "欧洲": ["Europe", "European"],
    "北欧": ["Nordic", "Scandinavia", "Scandinavian"],
    "东南亚": ["Southeast Asia"],
    "拉美": ["拉丁美洲", "Latin America"],
}


@cache
def _region_by_key() -> dict[str, str]:
    """Each name's comparable key → Douban's name; built when first needed (the keys need OpenCC's dictionaries,
    which a cold start should not load for requests without countries)."""
    names = DOUBAN_REGIONS | set(REGION_GROUPS)
    aliases = REGION_ALIASES | GROUP_ALIASES
    return {comparable_text(region): region for region in names} | {
        comparable_text(alias): region for region, group in aliases.items() for alias in group
    }


_REGION_EXAMPLES = "美国, 中国香港, 日本"
# Douban's older names, read as today's: a film of 香港 is one of 中国香港 all the same (see _region_matches).
_CURRENT_NAMES = {
    "香港": "中国香港",
    "台湾": "中国台湾",
    "澳门": "中国澳门",
    "印尼": "印度尼西亚",
    "孟加拉": "孟加拉国",
}


def douban_region(name: str) -> str:
    """The country or region ``name`` means, as Douban writes it (``USA`` and ``美國`` are ``美国``, ``香港`` is
    ``中国香港``), or a group of them (``欧美``, ``北欧``: :data:`REGION_GROUPS`); raises ValueError naming the value
    when Douban names no such country or region."""
    region = _region_by_key().get(comparable_text(name))
    if region is None:
        raise ValueError(f"{name!r} is not a country or region Douban names (e.g. {_REGION_EXAMPLES})")
    return _CURRENT_NAMES.get(region, region)


Country = Annotated[user_text(20), AfterValidator(douban_region)]

# --- languages, as Douban names them under 语言 ------------------------------------------------------------------

DOUBAN_LANGUAGES = _names(
    "汉语普通话 粤语 闽南语 上海话 四川话 客家话 英语 日语 韩语 法语 德语 意大利语 西班牙语 葡萄牙语 俄语 泰语",
    "印地语 泰米尔语 泰卢固语 阿拉伯语 波斯语 土耳其语 希伯来语 希腊语 波兰语 捷克语 匈牙利语 罗马尼亚语 荷兰语",
    "瑞典语 丹麦语 挪威语 芬兰语 冰岛语 乌克兰语 越南语 印尼语 马来语 他加禄语 蒙古语 藏语 维吾尔语 无对白",
)
LANGUAGE_ALIASES = {
    "汉语普通话": ["普通话", "国语", "汉语", "中文", "华语", "Mandarin", "Chinese"],
    "粤语": ["广东话", "广府话", "Cantonese"],
    "闽南语": ["台语", "Hokkien", "Taiwanese Hokkien"],
    "英语": ["英文", "English"],
    "日语": ["日文", "Japanese"],
    "韩语": ["韩文", "朝鲜语", "Korean"],
    "法语": ["法文", "French"],
    "德语": ["德文", "German"],
    "意大利语": ["意语", "Italian"],
    "西班牙语": ["西语", "Spanish"],
    "葡萄牙语": ["葡语", "Portuguese"],
    "俄语": ["俄文", "Russian"],
    "泰语": ["Thai"],
    "印地语": ["Hindi"],
    "阿拉伯语": ["Arabic"],
    "波斯语": ["Persian", "Farsi"],
    "土耳其语": ["Turkish"],
    "希伯来语": ["Hebrew"],
    "无对白": ["默片", "Silent", "no dialogue"],
}


@cache
def _language_by_key() -> dict[str, str]:
    return {comparable_text(language): language for language in DOUBAN_LANGUAGES} | {
        comparable_text(alias): language for language, aliases in LANGUAGE_ALIASES.items() for alias in aliases
    }


def douban_language(name: str) -> str:
    """The language ``name`` means, as Douban writes it under 语言 (``国语`` and ``Mandarin`` are ``汉语普通话``);
    raises ValueError naming the value when Douban names no such language."""
    language = _language_by_key().get(comparable_text(name))
    if language is None:
        raise ValueError(f"{name!r} is not a language Douban names (e.g. 英语, 粤语, 汉语普通话)")
    return language


Language = Annotated[user_text(20), AfterValidator(douban_language)]

# The name of each filter, as the API and the constraint reader give them.
FilterField = Literal[
    "years", "min_rating", "min_votes", "max_votes", "max_runtime", "kind", "countries", "languages", "genres_exclude"
]
EARLIEST_YEAR = 1888  # the oldest surviving film; Douban lists nothing older
LATEST_YEAR = 2100


def _no_text_or_truth_value(value: object) -> object:
    """`"8"` and `true` are not ratings; 8 and 8.5 are."""
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


Rating = Annotated[float, BeforeValidator(_no_text_or_truth_value)]
Year = Annotated[WholeNumber, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]


class YearRange(BaseModel):
    """First release years, both ends included; either end may be left open."""

    model_config = ConfigDict(extra="forbid", serialize_by_alias=True)

    from_: Year | None = Field(default=None, alias="from", description="The earliest year, e.g. 2010")
    to: Year | None = Field(default=None, description="The latest year, e.g. 2019")

    @model_validator(mode="after")
    def _in_order(self) -> YearRange:
        if self.from_ is not None and self.to is not None and self.from_ > self.to:
            raise ValueError("`from` must not be after `to`")
        return self


class Filters(BaseModel):
    """Hard filters on Douban's data; every one is optional, and an empty object filters nothing."""

    model_config = ConfigDict(extra="forbid")

    min_rating: Rating | None = Field(default=None, ge=0, le=10, description="Douban's rating (0-10) at least this")
    min_votes: WholeNumber | None = Field(
        default=None, ge=0, le=100_000_000, description="At least this many people rated it on Douban"
    )
    max_votes: WholeNumber | None = Field(
        default=None,
        ge=0,
        le=100_000_000,
        description="At most this many people rated it on Douban (冷门, 小众); a film too little rated for Douban to "
        "show a rating meets it",
    )
    years: YearRange | None = Field(default=None, description='First released within {"from", "to"}')
    countries: list[Country] = Field(
        default_factory=list,
        max_length=10,
        description="Made in one of these countries or regions, as Douban names them (美国, 中国香港, 日本…; "
        "common other names such as USA, 香港 or 大陆 are read as Douban's; an unknown one is a 422)",
    )
    languages: list[Language] = Field(
        default_factory=list,
        max_length=10,
        description="Spoken in one of these languages, as Douban names them (英语, 粤语, 汉语普通话…; 国语 or "
        "English are read as Douban's; an unknown one is a 422)",
    )
    genres_exclude: list[Genre] = Field(
        default_factory=list, max_length=10, description="None of these Douban genres (恐怖, 动画…)"
    )
    max_runtime: WholeNumber | None = Field(
        default=None, ge=1, le=1000, description="At most this many minutes (a series: one episode)"
    )
    kind: Kind | None = Field(
        default=None,
        description="movie: films only; tv: series only; any: both. Unset: nothing is dropped for its kind, "
        "and the model is still asked for films unless the person asks for series",
    )

    @model_validator(mode="after")
    def _votes_in_order(self) -> Filters:
        if self.min_votes is not None and self.max_votes is not None and self.min_votes > self.max_votes:
            raise ValueError("`min_votes` must not be more than `max_votes`")
        return self

    def is_empty(self) -> bool:
        return self == Filters()


# --- the prompt ------------------------------------------------------------------------------------------------

KIND_INSTRUCTIONS = {
    "movie": "只推荐电影，不要推荐电视剧。",
    "tv": "这次只推荐电视剧（剧集），不要推荐电影；剧集用豆瓣上的剧名。",
    "any": "电影和电视剧（剧集）都可以推荐。",
}
FILTERS_INSTRUCTION = "推荐的影片必须满足「筛选条件」（以豆瓣上的数据为准），不满足的不要列出。"


def prompt_data(filters: Filters) -> dict[str, object]:
    """The filters as JSON data for the prompt, in Chinese; empty when there are none to state."""
    data: dict[str, object] = {}
    if filters.min_rating is not None:
        data["豆瓣评分不低于"] = filters.min_rating
    if filters.min_votes is not None:
        data["豆瓣评分人数不少于"] = filters.min_votes
    if filters.max_votes is not None:
        data["豆瓣评分人数不多于"] = filters.max_votes
    if filters.years is not None and (filters.years.from_ is not None or filters.years.to is not None):
        data["首映年份"] = {"从": filters.years.from_, "到": filters.years.to}
    if filters.countries:
        data["制片国家或地区（任一）"] = filters.countries
    if filters.languages:
        data["对白语言（任一）"] = filters.languages
    if filters.genres_exclude:
        data["不要的类型"] = filters.genres_exclude
    if filters.max_runtime is not None:
        data["片长不超过（分钟）"] = filters.max_runtime
    return data


def prompt_instructions(filters: Filters) -> list[str]:
    """The sentences the prompt adds for these filters (the kind, and a rule when there are filters to meet)."""
    lines = [KIND_INSTRUCTIONS[filters.kind]] if filters.kind else []
    if prompt_data(filters):
        lines.append(FILTERS_INSTRUCTION)
    return lines


# --- enforcing them on Douban's data ----------------------------------------------------------------------------

UNCHECKED = "豆瓣暂时只返回了简要信息，无法确认{what}是否满足筛选条件"


def failed_filter(filters: Filters, movie: DoubanMovie, partial: bool = False) -> str | None:
    """Why ``movie`` fails one of ``filters`` (Chinese, for the card's note), or None when it meets them all.

    ``partial``: the card is Douban's search entry alone, which shows no rating, votes, countries, genres or length.
    """
    for check in (_kind, _years, _rating, _votes, _countries, _languages, _genres, _runtime):
        reason = check(filters, movie, partial)
        if reason is not None:
            return reason
    return None


def _kind(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if filters.kind == "movie" and movie.kind == "tv":
        return "这是电视剧，筛选条件只要电影"
    if filters.kind == "tv" and movie.kind == "movie":
        return "这是电影，筛选条件只要电视剧"
    return None


def _years(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    years = filters.years
    if years is None or (years.from_ is None and years.to is None):
        return None
    if movie.year is None:
        return "豆瓣条目没有年份，无法确认是否在筛选的年份内"
    early = years.from_ is not None and movie.year < years.from_
    late = years.to is not None and movie.year > years.to
    if (early or late) and years.from_ is not None and years.to is not None:
        return f"{movie.year} 年的作品，不在筛选的 {years.from_}–{years.to} 年之内"
    if early:
        return f"{movie.year} 年的作品，早于筛选的 {years.from_} 年"
    if late:
        return f"{movie.year} 年的作品，晚于筛选的 {years.to} 年"
    return None


def _rating(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if filters.min_rating is None:
        return None
    if partial:
        return UNCHECKED.format(what="评分")
    if movie.rating is None:
        return f"豆瓣暂无评分，不满足最低 {filters.min_rating:g} 分"
    if movie.rating < filters.min_rating:
        return f"豆瓣评分 {movie.rating:g}，低于筛选的 {filters.min_rating:g} 分"
    return None


def _votes(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    return _min_votes(filters, movie, partial) or _max_votes(filters, movie, partial)


def _max_votes(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if filters.max_votes is None:
        return None
    if partial:
        return UNCHECKED.format(what="评分人数")
    if movie.rating is None:  # too few people rated it for Douban to show a rating: few indeed
        return None
    if movie.rating_count is None:
        return UNCHECKED.format(what="评分人数")
    if movie.rating_count > filters.max_votes:
        return f"豆瓣评分人数 {movie.rating_count}，多于筛选的 {filters.max_votes} 人"
    return None


def _min_votes(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if not filters.min_votes:
        return None
    if partial:
        return UNCHECKED.format(what="评分人数")
    if movie.rating is None:  # Douban shows no rating: too few people rated it to count
        return f"豆瓣评分人数不足，少于筛选的 {filters.min_votes} 人"
    if movie.rating_count is None:  # a source that shows the rating but not the votes (the abstract card)
        return UNCHECKED.format(what="评分人数")
    if movie.rating_count < filters.min_votes:
        return f"豆瓣评分人数 {movie.rating_count}，少于筛选的 {filters.min_votes} 人"
    return None


def _region_matches(wanted: str, region: str) -> bool:
    """Douban writes 中国大陆, 中国香港 (older pages: 香港), 美国: 香港 and 中国香港 are one region, and 中国 takes
    its mainland, Hong Kong and Taiwan alike. Script and width do not count."""
    wanted_key, region_key = comparable_text(wanted), comparable_text(region)
    return bool(wanted_key and region_key) and (wanted_key in region_key or region_key in wanted_key)


def _members(wanted: str) -> frozenset[str] | set[str]:
    """The countries a filter's country or group stands for."""
    return REGION_GROUPS.get(wanted) or {wanted}


def _countries(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if not filters.countries:
        return None
    if partial or not movie.countries:
        return UNCHECKED.format(what="制片国家/地区") if partial else "豆瓣条目没有制片国家/地区，无法确认"
    wanted_countries = {country for wanted in filters.countries for country in _members(wanted)}
    if any(_region_matches(wanted, region) for wanted in wanted_countries for region in movie.countries):
        return None
    return f"制片国家/地区为 {' / '.join(movie.countries)}，不在筛选的 {'、'.join(filters.countries)} 之中"


def _languages(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if not filters.languages:
        return None
    if partial:
        return UNCHECKED.format(what="对白语言")
    if not movie.languages:
        return "豆瓣条目没有对白语言，无法确认"
    wanted = {comparable_text(language) for language in filters.languages}
    if any(comparable_text(language) in wanted for language in movie.languages):
        return None
    return f"对白语言为 {' / '.join(movie.languages)}，不是筛选的 {'、'.join(filters.languages)}"


def _genre_key(genre: str) -> str:
    """恐怖片 and 恐怖 are one genre (as 纪录 and Douban's 纪录片 are); script and width do not count."""
    return comparable_text(genre).removesuffix("片")


def _genres(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if not filters.genres_exclude:
        return None
    if partial:
        return UNCHECKED.format(what="类型")
    unwanted = {_genre_key(genre) for genre in filters.genres_exclude} - {""}
    hits = [genre for genre in movie.genres if _genre_key(genre) in unwanted]
    return f"类型含 {'、'.join(hits)}，是筛选排除的类型" if hits else None


def _runtime(filters: Filters, movie: DoubanMovie, partial: bool) -> str | None:
    if filters.max_runtime is None:
        return None
    minutes = movie.episode_minutes if movie.kind == "tv" else movie.runtime_minutes
    if partial:
        return UNCHECKED.format(what="片长")
    if minutes is None:
        return f"豆瓣条目没有片长，无法确认是否在 {filters.max_runtime} 分钟以内"
    if minutes > filters.max_runtime:
        length = "单集片长" if movie.kind == "tv" else "片长"
        return f"{length} {minutes} 分钟，超过筛选的 {filters.max_runtime} 分钟"
    return None
