/** Recommendation views shaped exactly like GET /recommendations/{id} answers. */

const DOUBAN = {
  盗梦空间: {
    id: '3541415',
    title: '盗梦空间',
    original_title: 'Inception',
    year: 2010,
    directors: ['克里斯托弗·诺兰'],
    writers: ['克里斯托弗·诺兰'],
    cast: ['莱昂纳多·迪卡普里奥', '约瑟夫·高登-莱维特', '艾利奥特·佩吉', '汤姆·哈迪'],
    genres: ['剧情', '科幻', '悬疑', '冒险'],
    countries: ['美国', '英国'],
    languages: ['英语', '日语', '法语'],
    release_dates: ['2010-09-01(中国大陆)', '2010-07-16(美国)'],
    runtime_minutes: 148,
    aka: ['潜行凶间', '全面启动'],
    rating: 9.4,
    rating_count: 1970885,
    summary: '道姆·柯布与同事阿瑟和纳什在一次针对日本能源大亨齐藤的盗梦行动中失败……',
    imdb_id: 'tt1375666',
  },
  星际穿越: {
    id: '1889243',
    title: '星际穿越',
    original_title: 'Interstellar',
    year: 2014,
    directors: ['克里斯托弗·诺兰'],
    cast: ['马修·麦康纳', '安妮·海瑟薇', '杰西卡·查斯坦'],
    genres: ['剧情', '科幻', '冒险'],
    countries: ['美国', '英国', '加拿大'],
    release_dates: ['2014-11-12(中国大陆)'],
    runtime_minutes: 169,
    rating: 9.4,
    rating_count: 1800000,
    summary: '近未来的地球黄沙遍野……',
    imdb_id: 'tt0816692',
  },
  源代码: {
    id: '3075287',
    title: '源代码',
    original_title: 'Source Code',
    year: 2011,
    directors: ['邓肯·琼斯'],
    cast: ['杰克·吉伦哈尔', '维拉·法米加'],
    genres: ['科幻', '悬疑', '惊悚'],
    countries: ['美国', '加拿大'],
    runtime_minutes: 93,
    rating: null,
    rating_count: null,
    summary: '',
  },
}

/** A Douban record that knows nothing but its id, with every list present as the API sends it. */
function blank(id) {
  return {
    id,
    url: `https://movie.douban.com/subject/${id}/`,
    title: '',
    original_title: null,
    year: null,
    kind: 'movie',
    directors: [],
    writers: [],
    cast: [],
    genres: [],
    countries: [],
    languages: [],
    release_dates: [],
    runtime_minutes: null,
    episodes: null,
    episode_minutes: null,
    aka: [],
    rating: null,
    rating_count: null,
    poster_url: `https://img9.doubanio.com/view/photo/s_ratio_poster/public/p${id}.jpg`,
    summary: null,
    imdb_id: null,
  }
}

/** A complete Douban record. */
function douban(title, overrides = {}) {
  const base = DOUBAN[title]
  return { ...blank(base.id), ...base, ...overrides }
}

/** What Douban's search entry alone gives (a `partial` card): title, original title, year and poster. */
function searchEntry(title) {
  const { id, original_title: originalTitle, year } = DOUBAN[title]
  return { ...blank(id), title, original_title: originalTitle, year }
}

const REASONS = {
  盗梦空间: '层层嵌套的梦境，烧脑又好看',
  星际穿越: '硬核科幻与父女情的结合',
  源代码: '八分钟的时间循环，节奏紧凑',
  不存在的电影: '一部模型编出来的电影',
}

/** One movie entry; `found` ones carry their Douban record. */
function movie(rank, title, status = 'found') {
  const base = { rank, title, year: DOUBAN[title] ? DOUBAN[title].year : 1999, reason: REASONS[title] || '', status }
  const found = status === 'found'
  return { ...base, douban: found ? douban(title) : null, source: found ? 'desktop' : null, partial: false, note: null }
}

/** A found movie built from Douban's search entry alone, while Douban blocks us: completed later. */
function partialMovie(rank, title) {
  return { ...movie(rank, title), douban: searchEntry(title), source: 'suggest', partial: true }
}

function view(id, status, movies = [], extra = {}) {
  return { id, mode: 'tags', query: '科幻、悬疑', status, count: 3, movies, error: null, ...extra }
}

/** A request that fills in over four polls, as the backend would answer them. */
function fillingIn(id) {
  return [
    view(id, 'pending'),
    view(id, 'running', [movie(1, '盗梦空间', 'pending'), movie(2, '星际穿越', 'pending'), movie(3, '不存在的电影', 'pending')]),
    view(id, 'running', [movie(1, '盗梦空间'), movie(2, '星际穿越', 'pending'), movie(3, '不存在的电影', 'pending')]),
    view(id, 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越'), movie(3, '不存在的电影', 'not_found')]),
  ]
}

module.exports = { blank, douban, searchEntry, movie, partialMovie, view, fillingIn }
