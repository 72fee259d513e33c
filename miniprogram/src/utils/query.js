/**
 * What a person asks for, and the limits the API puts on it.
 *
 * The limits mirror the backend's request model so the 推荐 button is only
 * enabled for requests the server will accept.
 */

const MODES = [
  { value: 'tags', label: '兴趣标签' },
  { value: 'theme', label: '相似主题' },
  { value: 'star', label: '电影明星' },
]

const LIMITS = {
  maxTags: 8,
  tagLength: 20,
  themeLength: 200,
  starLength: 50,
  minCount: 1,
  maxCount: 20,
  defaultCount: 8,
  maxExclude: 200,
  excludeLength: 100,
}

const COUNT_CHOICES = [5, 8, 10, 15, 20]

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

/** A request body without `exclude`/`previous`, trimmed as the server will trim it. */
function buildQuery(mode, { tags = [], theme = '', star = '', count = LIMITS.defaultCount } = {}) {
  const query = { mode, count }
  if (mode === 'tags') query.tags = tags.map(clean).filter(Boolean)
  if (mode === 'theme') query.theme = clean(theme)
  if (mode === 'star') query.star = clean(star)
  return query
}

/** Why the query would be refused, in words for a person, or '' when it is fine. */
function validateQuery(query) {
  if (!query || !MODES.some((mode) => mode.value === query.mode)) return '请选择推荐方式'
  const { count } = query
  if (!Number.isInteger(count) || count < LIMITS.minCount || count > LIMITS.maxCount) {
    return `推荐数量需在 ${LIMITS.minCount} 到 ${LIMITS.maxCount} 部之间`
  }
  if (query.mode === 'theme') return checkText(query.theme, LIMITS.themeLength, '主题')
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
  return query.mode === 'theme' ? query.theme : query.star
}

function modeLabel(mode) {
  const found = MODES.find((item) => item.value === mode)
  return found ? found.label : ''
}

/**
 * The `exclude` list: titles shown in this session first (换一批 must not repeat
 * them), then the seen list; unique, valid and capped at the API's limit.
 */
function buildExclude(...titleLists) {
  const unique = new Set()
  for (const titles of titleLists) {
    for (const title of titles) {
      const text = clean(title)
      if (text && textLength(text) <= LIMITS.excludeLength && !hasControlCharacters(text)) unique.add(text)
    }
  }
  return Array.from(unique).slice(0, LIMITS.maxExclude)
}

module.exports = {
  MODES,
  LIMITS,
  COUNT_CHOICES,
  textLength,
  buildQuery,
  validateQuery,
  validateNewTag,
  describeQuery,
  modeLabel,
  buildExclude,
}
