/**
 * Turns API movies and Douban records into the plain view models that the
 * templates render, so the WXML holds no formatting logic.
 */
const { movieKey, reportedKey } = require('./storage')

const SEPARATOR = ' / '

function joinNames(names, max = Infinity) {
  return (names || []).slice(0, max).join(SEPARATOR)
}

/** 1970885 → "197.1万"; Douban shows counts the same way. */
function formatCount(count) {
  if (!count) return ''
  if (count < 10000) return String(count)
  return `${(count / 10000).toFixed(1).replace(/\.0$/, '')}万`
}

function runtimeText(douban) {
  if (douban.kind === 'tv') {
    const parts = []
    if (douban.episodes) parts.push(`共 ${douban.episodes} 集`)
    if (douban.episode_minutes) parts.push(`每集 ${douban.episode_minutes} 分钟`)
    return parts.join(' · ')
  }
  return douban.runtime_minutes ? `${douban.runtime_minutes} 分钟` : ''
}

/** The original title, unless it is only the title again. */
function distinctOriginal(douban) {
  return douban.original_title && douban.original_title !== douban.title ? douban.original_title : ''
}

/**
 * One recommendation as a card. `pending` cards show their title and reason
 * while the poster and rating are still being looked up; `partial` ones were
 * built from Douban's search entry alone (title, original title, year, poster)
 * and get their rating, genres and people when the backend completes them.
 */
function toCard(movie, { seenKeys = [], favouriteKeys = [], dislikedKeys = [], ratings = {} } = {}) {
  const douban = movie.douban
  const doubanId = douban ? douban.id : ''
  const title = douban ? douban.title : movie.title
  const key = movieKey({ doubanId, title })
  const found = movie.status === 'found' && Boolean(douban)
  return {
    key: `${movie.rank}`,
    rank: movie.rank,
    status: movie.status,
    pending: movie.status === 'pending',
    found,
    partial: found && Boolean(movie.partial),
    title,
    originalTitle: douban ? distinctOriginal(douban) : '',
    year: (douban && douban.year) || movie.year || '',
    reason: movie.reason || '',
    // Why a failed card has no Douban facts, in the backend's words (Douban away, or too busy before the deadline).
    failedNote: movie.status === 'failed' ? movie.note || '' : '',
    doubanId,
    posterUrl: (douban && douban.poster_url) || '',
    rating: douban ? douban.rating : null,
    ratingCount: douban ? douban.rating_count : null,
    genres: douban ? joinNames(douban.genres, 3) : '',
    directors: douban ? joinNames(douban.directors, 2) : '',
    cast: douban ? joinNames(douban.cast, 3) : '',
    // One line under the rating: genres, then who made it.
    byline: douban ? [joinNames(douban.genres, 3), joinNames(douban.directors, 1)].filter(Boolean).join(' · ') : '',
    seen: seenKeys.includes(key),
    myRating: ratings[key] || 0, // the person's own stars, 1–5, once seen
    favourite: favouriteKeys.includes(key),
    disliked: dislikedKeys.includes(key),
  }
}

/**
 * The found-or-pending cards of a recommendation view: `not_found` ones are
 * dropped, and so are the ones the person reported (`flags.reportedKeys`, by
 * storage.reportedKey), and the rest numbered as shown (`position` 1, 2, 3 …),
 * whatever their rank in the model's answer. A card folded as 不感兴趣 shows
 * no number (position 0) and leaves no gap.
 */
function toCards(view, flags = {}) {
  const reported = flags.reportedKeys || []
  let position = 0
  return (view.movies || [])
    .filter((movie) => movie.status !== 'not_found' && !reported.includes(reportedKey(view.id, movie.rank)))
    .sort((a, b) => a.rank - b.rank)
    .map((movie) => {
      const card = toCard(movie, flags)
      return { ...card, position: card.disliked ? 0 : ++position }
    })
}

/**
 * The header's line: what is happening, in the person's terms. Films the
 * model named that Douban does not know are the service's business, not theirs.
 */
function progressText(view) {
  const movies = view.movies || []
  const found = movies.filter((movie) => movie.status === 'found').length
  if (view.status === 'done') return found ? `为你找到 ${found} 部` : ''
  if (movies.length === 0) return '正在思考推荐什么…'
  return `正在豆瓣查找 · 已找到 ${Math.min(found, view.count)}/${view.count}`
}

/** Every Douban field worth reading on the movie page, as label/value rows. */
function toDetail(douban) {
  const isTv = douban.kind === 'tv'
  const facts = [
    { label: '导演', value: joinNames(douban.directors) },
    { label: '编剧', value: joinNames(douban.writers) },
    { label: '主演', value: joinNames(douban.cast) },
    { label: '类型', value: joinNames(douban.genres) },
    { label: '制片国家/地区', value: joinNames(douban.countries) },
    { label: '语言', value: joinNames(douban.languages) },
    { label: isTv ? '首播' : '上映日期', value: joinNames(douban.release_dates) },
    { label: isTv ? '集数' : '片长', value: runtimeText(douban) },
    { label: '又名', value: joinNames(douban.aka) },
    { label: 'IMDb', value: douban.imdb_id || '' },
  ].filter((fact) => fact.value)
  const subtitle = [isTv ? '剧集' : '电影', douban.year, joinNames(douban.countries, 2), joinNames(douban.genres, 3)]
    .filter(Boolean)
    .join(' · ')
  return {
    id: douban.id,
    url: douban.url,
    title: douban.title,
    originalTitle: distinctOriginal(douban),
    year: douban.year || '',
    subtitle,
    posterUrl: douban.poster_url || '',
    rating: douban.rating,
    ratingCount: douban.rating_count,
    summary: (douban.summary || '').trim(),
    facts,
  }
}

module.exports = {
  formatCount,
  toCard,
  toCards,
  progressText,
  toDetail,
}
