/**
 * Movies for the renders: Douban records shaped as GET /recommendations/{id}
 * answers them, with drawn posters (data: URLs), since a render never fetches
 * Douban's images.
 */
const { blank } = require('../../tests/helpers/fixtures')

const INCEPTION_SUMMARY =
  '道姆·柯布与同事阿瑟和纳什在一次针对日本能源大亨齐藤的盗梦行动中失败，反被齐藤利用。齐藤威逼利诱因遭通缉而流亡海外的柯布帮他拆分他竞争对手的公司，采取极端措施在其唯一继承人罗伯特·费希尔的深层潜意识中种下放弃家族公司、自立门户的想法。'

// Douban id, title, original title, year, rating, votes, directors, cast, genres, the model's reason, poster colours.
// prettier-ignore
const FILMS = [
  ['3541415', '盗梦空间', 'Inception', 2010, 9.4, 2140321, ['克里斯托弗·诺兰'], ['莱昂纳多·迪卡普里奥', '约瑟夫·高登-莱维特', '艾利奥特·佩吉'], ['剧情', '科幻', '悬疑'], '层层嵌套的梦境，每一层都有倒计时，烧脑又好看', ['#1d3557', '#457b9d']],
  ['1889243', '星际穿越', 'Interstellar', 2014, 9.4, 1900000, ['克里斯托弗·诺兰'], ['马修·麦康纳', '安妮·海瑟薇', '杰西卡·查斯坦'], ['剧情', '科幻', '冒险'], '硬核科幻与父女情的结合，黑洞画面至今难忘', ['#0b090a', '#5c677d']],
  ['2334904', '禁闭岛', 'Shutter Island', 2010, 8.9, 1050000, ['马丁·斯科塞斯'], ['莱昂纳多·迪卡普里奥', '马克·鲁法洛'], ['剧情', '悬疑', '惊悚'], '孤岛、精神病院与一场调查，结局值得再看一遍', ['#283618', '#606c38']],
  ['1304447', '记忆碎片', 'Memento', 2000, 8.7, 640000, ['克里斯托弗·诺兰'], ['盖·皮尔斯', '凯瑞-安·莫斯'], ['犯罪', '悬疑', '惊悚'], '倒叙拼图式的叙事，只有十五分钟记忆的复仇', ['#3d405b', '#e07a5f']],
  ['1780330', '致命魔术', 'The Prestige', 2006, 8.9, 720000, ['克里斯托弗·诺兰'], ['休·杰克曼', '克里斯蒂安·贝尔'], ['剧情', '悬疑', '惊悚'], '两位魔术师的较量，每个细节都是伏笔', ['#370617', '#9d0208']],
  ['1292343', '蝴蝶效应', 'The Butterfly Effect', 2004, 8.9, 880000, ['埃里克·布雷斯', 'J·麦凯伊·格鲁伯'], ['阿什顿·库彻', '艾米·斯马特'], ['剧情', '科幻', '悬疑'], '改变过去的代价，时间旅行题材的经典', ['#14213d', '#fca311']],
  ['3075287', '源代码', 'Source Code', 2011, 8.4, 720000, ['邓肯·琼斯'], ['杰克·吉伦哈尔', '维拉·法米加'], ['科幻', '悬疑', '惊悚'], '八分钟的时间循环，节奏紧凑不拖沓', ['#03045e', '#0077b6']],
  ['1292064', '楚门的世界', 'The Truman Show', 1998, 9.4, 1800000, ['彼得·威尔'], ['金·凯瑞', '劳拉·琳妮'], ['剧情', '科幻'], '一个人的一生都是真人秀，温暖又发人深省', ['#006d77', '#83c5be']],
]

/** A poster drawn as SVG: a gradient, the title and the year. */
function poster(title, year, [from, to]) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="270" height="400" viewBox="0 0 270 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="0.4" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="270" height="400" fill="url(#g)"/><circle cx="200" cy="110" r="70" fill="#fff" opacity="0.12"/>
<text x="24" y="330" fill="#fff" font-size="38" font-weight="700" font-family="Noto Sans CJK SC, sans-serif">${title}</text>
<text x="26" y="368" fill="#fff" opacity="0.8" font-size="20" font-family="sans-serif">${year}</text></svg>`
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/** A Douban record with only what the search entry gives: the rest empty, as the API sends it. */
function searchEntry({ id, title, original, year, posterUrl }) {
  return { ...blank(id), title, original_title: original, year, poster_url: posterUrl }
}

const RECORDS = Object.fromEntries(
  FILMS.map(([id, title, original, year, rating, count, directors, cast, genres, reason, colours]) => {
    const entry = searchEntry({ id, title, original, year, posterUrl: poster(title, year, colours) })
    const douban = {
      ...entry,
      directors,
      writers: directors,
      cast,
      genres,
      countries: ['美国', '英国'].slice(0, 1 + (id.length % 2)),
      languages: ['英语'],
      release_dates: [`${year}(美国)`],
      runtime_minutes: 90 + (Number(id) % 60),
      rating,
      rating_count: count,
      summary: title === '盗梦空间' ? INCEPTION_SUMMARY : `${reason}。`,
    }
    return [title, { reason, entry, douban }]
  }),
)

const TITLES = FILMS.map((film) => film[1])

/** One entry of a recommendation view, found on Douban. */
function found(rank, title) {
  const { douban, reason } = RECORDS[title]
  return {
    rank,
    title,
    year: douban.year,
    reason,
    status: 'found',
    douban,
    source: 'desktop',
    partial: false,
    note: null,
  }
}

/** One entry still being looked up. */
function pending(rank, title) {
  return { ...found(rank, title), status: 'pending', douban: null, source: null }
}

/** One entry Douban does not know (the model invented it). */
function notFound(rank, title) {
  return {
    rank,
    title,
    year: 2012,
    reason: '一部模型编出来的电影',
    status: 'not_found',
    douban: null,
    source: null,
    partial: false,
    note: '豆瓣上没有找到',
  }
}

/** Found from Douban's search entry alone: title, original title, year and poster. */
function partial(rank, title) {
  return { ...found(rank, title), douban: RECORDS[title].entry, source: 'suggest', partial: true }
}

module.exports = { RECORDS, TITLES, found, pending, notFound, partial }
