/**
 * What a person asks for, and the limits the API puts on it.
 *
 * The limits mirror the backend's request model so the 推荐 button is only
 * enabled for requests the server will accept.
 *
 * A query is what a page link and the history keep: `{mode, count, …the mode's
 * own text, filters?, like?, refine?}`. What comes from the person's marks
 * (for_me's liked and disliked, every request's exclude) and the request it
 * follows (`previous`) is added when the request is made.
 */
const filters = require('./filters')

const MODES = [
  { value: 'for_me', label: '为我推荐' },
  { value: 'tags', label: '兴趣标签' },
  { value: 'theme', label: '相似主题' },
  { value: 'star', label: '电影明星' },
]

const LIMITS = {
  maxTags: 8,
  tagLength: 20,
  themeLength: 200,
  starLength: 50,
  moodLength: 100,
  refineLength: 100,
  minCount: 1,
  maxCount: 20,
  defaultCount: 8,
  maxExclude: 2000,
  excludeCharacters: 30000, // in all: a request is stored whole, in one DynamoDB item
  excludeLength: 100,
  maxTaste: 200, // for_me's liked and disliked, each
  tasteCharacters: 6000, // each, in all
}

const COUNT_CHOICES = [5, 8, 10, 15, 20]

// The filters the backend can read from a person's words, which a query may say were removed (`dismissed_filters`).
const READ_FIELDS = [
  'years',
  'min_rating',
  'min_votes',
  'max_votes',
  'max_runtime',
  'kind',
  'countries',
  'languages',
  'genres_exclude',
]

/** Whether `dismissed` is a list of fields read from words that the person removed (or absent). */
function validDismissed(dismissed) {
  return (
    dismissed === undefined ||
    (Array.isArray(dismissed) && dismissed.length <= READ_FIELDS.length && dismissed.every((f) => READ_FIELDS.includes(f)))
  )
}

// The backend counts characters (code points), not UTF-16 units, so an emoji is one.
function textLength(text) {
  return Array.from(text).length
}

// The backend rejects control characters such as newlines pasted into a field.
function hasControlCharacters(text) {
  return /[\u0000-\u001f\u007f-\u009f]/.test(text)
}

// Newlines typed into the theme box would be refused as control characters: fold them.
function clean(text) {
  return typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : ''
}

/** Why `text` is not acceptable as `what` with at most `max` characters, or ''. */
function checkText(text, max, what) {
  if (!text) return `请输入${what}`
  if (textLength(text) > max) return `${what}最多 ${max} 个字`
  if (hasControlCharacters(text)) return `${what}包含无法识别的字符`
  return ''
}

/**
 * A query, trimmed as the server will trim it: `mood` only when given, and
 * `filters` only when some are set.
 */
function buildQuery(
  mode,
  { tags = [], theme = '', star = '', mood = '', count = LIMITS.defaultCount, filters: chosen = {} } = {},
) {
  const query = { mode, count }
  if (mode === 'tags') query.tags = tags.map(clean).filter(Boolean)
  if (mode === 'theme') query.theme = clean(theme)
  if (mode === 'star') query.star = clean(star)
  if (mode === 'for_me' && clean(mood)) query.mood = clean(mood)
  const set = filters.normalize(chosen)
  if (Object.keys(set).length) query.filters = set
  return query
}

/** 更多类似: films like one Douban film (theme mode with `like`); the film itself is never shown. */
function likeQuery({ doubanId, title }, { count = LIMITS.defaultCount, filters: chosen } = {}) {
  const query = buildQuery('theme', { theme: `像《${clean(title)}》那样的电影`, count, filters: chosen })
  query.like = doubanId
  return query
}

/** Why a mode's own fields would be refused, or ''. */
function checkMode(query) {
  if (query.mode === 'for_me') return query.mood === undefined ? '' : checkText(query.mood, LIMITS.moodLength, '心情')
  if (query.mode === 'theme') {
    if (query.like !== undefined && !/^\d{1,12}$/.test(query.like)) return '这部电影的链接有误'
    return checkText(query.theme, LIMITS.themeLength, '主题')
  }
  if (query.mode === 'star') return checkText(query.star, LIMITS.starLength, '明星名字')
  const tags = query.tags || []
  if (tags.length === 0) return '至少选择 1 个标签'
  if (tags.length > LIMITS.maxTags) return `最多选择 ${LIMITS.maxTags} 个标签`
  for (const tag of tags) {
    const problem = checkText(tag, LIMITS.tagLength, '标签')
    if (problem) return problem
  }
  return ''
}

/** Why the query would be refused, in words for a person, or '' when it is fine. */
function validateQuery(query) {
  if (!query || !MODES.some((mode) => mode.value === query.mode)) return '请选择推荐方式'
  const { count } = query
  if (!Number.isInteger(count) || count < LIMITS.minCount || count > LIMITS.maxCount) {
    return `推荐数量需在 ${LIMITS.minCount} 到 ${LIMITS.maxCount} 部之间`
  }
  if (query.refine !== undefined) {
    const problem = checkText(query.refine, LIMITS.refineLength, '调整要求')
    if (problem) return problem
  }
  if (!validDismissed(query.dismissed_filters)) return '筛选条件无法识别'
  return checkMode(query) || filters.validate(query.filters)
}

/** Why a refinement typed on the results page cannot be sent, or ''. */
function validateRefine(text) {
  return checkText(clean(text), LIMITS.refineLength, '调整要求')
}

/** Why a custom tag cannot be added to `selected`, or ''. */
function validateNewTag(tag, selected) {
  const problem = checkText(clean(tag), LIMITS.tagLength, '标签')
  if (problem) return problem
  if (selected.includes(clean(tag))) return '这个标签已经选上了'
  if (selected.length >= LIMITS.maxTags) return `最多选择 ${LIMITS.maxTags} 个标签`
  return ''
}

/** The short text a person recognises a query by, as the server's `query` field. */
function describeQuery(query) {
  if (query.mode === 'tags') return query.tags.join('、')
  if (query.mode === 'for_me') return query.mood || '根据你的口味'
  return query.mode === 'theme' ? query.theme : query.star
}

function modeLabel(mode) {
  const found = MODES.find((item) => item.value === mode)
  return found ? found.label : ''
}

/**
 * A list of Douban ids or titles as the API takes one: each entry trimmed,
 * printable and at most 100 characters, unique, in order, and cut where it
 * would hold more than `maxEntries` entries or `maxCharacters` in all.
 */
function boundedList(entries, { maxEntries, maxCharacters }) {
  const kept = new Set()
  let characters = 0
  for (const entry of entries) {
    const text = clean(entry)
    const length = textLength(text)
    if (!text || length > LIMITS.excludeLength || hasControlCharacters(text) || kept.has(text)) continue
    if (kept.size === maxEntries || characters + length > maxCharacters) break
    kept.add(text)
    characters += length
  }
  return Array.from(kept)
}

/**
 * The `exclude` list: what this page showed first (换一批 must not repeat it),
 * then the marks (marks.excluded()); Douban ids where known, titles otherwise;
 * at most 2,000 entries and 30,000 characters, the API's limits.
 */
function buildExclude(...lists) {
  return boundedList(lists.flat(), { maxEntries: LIMITS.maxExclude, maxCharacters: LIMITS.excludeCharacters })
}

module.exports = {
  MODES,
  LIMITS,
  COUNT_CHOICES,
  textLength,
  buildQuery,
  likeQuery,
  validateQuery,
  validateRefine,
  clean,
  validateNewTag,
  describeQuery,
  modeLabel,
  boundedList,
  buildExclude,
}
