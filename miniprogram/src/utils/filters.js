/**
 * 筛选: hard filters a request can carry in every mode. The backend puts them
 * in the prompt and enforces them after the lookup, on Douban's own data (a
 * card that fails one never shows). Every field is optional:
 *
 * `{min_rating: 0-10, min_votes: int, years: {from, to}, countries: [..],
 *   genres_exclude: [..], max_runtime: minutes, kind: "movie"|"tv"|"any"}`
 *
 * The sheet offers a few choices per field, in Douban's own words for
 * countries and genres; this module turns them into the API's object and back.
 */

// Single choices: the first of each is 不限 (the field left out).
const SINGLE = {
  min_rating: {
    label: '豆瓣评分',
    choices: [
      { label: '不限', value: null },
      { label: '7 分以上', value: 7 },
      { label: '8 分以上', value: 8 },
      { label: '9 分以上', value: 9 },
    ],
  },
  min_votes: {
    label: '评价人数',
    choices: [
      { label: '不限', value: null },
      { label: '千人以上', value: 1000 },
      { label: '万人以上', value: 10000 },
      { label: '十万以上', value: 100000 },
    ],
  },
  years: {
    label: '年代',
    choices: [
      { label: '不限', value: null },
      { label: '2020 后', value: { from: 2020 } },
      { label: '2010 后', value: { from: 2010 } },
      { label: '2000 后', value: { from: 2000 } },
      { label: '2000 前', value: { to: 1999 } },
    ],
  },
  max_runtime: {
    label: '片长',
    choices: [
      { label: '不限', value: null },
      { label: '90 分钟内', value: 90 },
      { label: '2 小时内', value: 120 },
      { label: '2.5 小时内', value: 150 },
    ],
  },
  kind: {
    label: '类型',
    choices: [
      { label: '不限', value: null },
      { label: '只看电影', value: 'movie' },
      { label: '只看剧集', value: 'tv' },
    ],
  },
}

// Several choices at once, named as Douban names them.
const MULTIPLE = {
  countries: {
    label: '国家/地区',
    choices: ['中国大陆', '中国香港', '中国台湾', '美国', '日本', '韩国', '英国', '法国', '德国', '印度'],
  },
  genres_exclude: {
    label: '不看的类型',
    choices: ['恐怖', '惊悚', '战争', '犯罪', '爱情', '动画', '纪录片', '歌舞'],
  },
}

// The sheet's rows. min_votes is read and described (a shared link may carry it) but not offered: 更冷门 and 更经典
// in the refine box say it better.
const SHEET = ['min_rating', 'years', 'countries', 'genres_exclude', 'kind', 'max_runtime']
const ORDER = [...SHEET, 'min_votes']
const MAX_LIST = 20
const NAME_LENGTH = 20

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

/** Only the fields set, each in the API's shape: `{}` when nothing filters. */
function normalize(filters) {
  const out = {}
  if (!filters || typeof filters !== 'object') return out
  Object.keys(SINGLE).forEach((field) => {
    if (filters[field] !== null && filters[field] !== undefined && filters[field] !== 'any') out[field] = filters[field]
  })
  Object.keys(MULTIPLE).forEach((field) => {
    const names = Array.isArray(filters[field]) ? filters[field].filter(Boolean) : []
    if (names.length) out[field] = Array.from(new Set(names))
  })
  return out
}

const isWhole = (value) => Number.isInteger(value) && value >= 0

function validYears(years) {
  if (!years || typeof years !== 'object') return false
  const { from, to } = years
  const ok = (year) => year === undefined || (Number.isInteger(year) && year >= 1870 && year <= 2100)
  return ok(from) && ok(to) && (from !== undefined || to !== undefined) && !(from > to)
}

function validNames(names) {
  return (
    Array.isArray(names) &&
    names.length <= MAX_LIST &&
    names.every((name) => typeof name === 'string' && name.trim() && Array.from(name).length <= NAME_LENGTH)
  )
}

/** Why `filters` would be refused (a link edited by hand), or ''. */
function validate(filters) {
  if (filters === undefined) return ''
  if (!filters || typeof filters !== 'object' || Array.isArray(filters)) return '筛选条件无法识别'
  const { min_rating: minRating, min_votes: minVotes, max_runtime: maxRuntime, kind } = filters
  const valid =
    (minRating === undefined || (typeof minRating === 'number' && minRating >= 0 && minRating <= 10)) &&
    (minVotes === undefined || isWhole(minVotes)) &&
    (maxRuntime === undefined || (isWhole(maxRuntime) && maxRuntime > 0)) &&
    (kind === undefined || ['movie', 'tv', 'any'].includes(kind)) &&
    (filters.years === undefined || validYears(filters.years)) &&
    Object.keys(MULTIPLE).every((field) => filters[field] === undefined || validNames(filters[field]))
  return valid ? '' : '筛选条件无法识别'
}

function choiceLabel(field, value) {
  const found = SINGLE[field].choices.find((choice) => same(choice.value, value))
  if (found) return found.label
  // A value the sheet does not offer (from a shared link): said plainly.
  if (field === 'min_rating') return `${value} 分以上`
  if (field === 'min_votes') return `${value} 人以上评价`
  if (field === 'max_runtime') return `${value} 分钟内`
  if (field === 'years') return [value.from, value.to].map((year) => year || '').join('–')
  return ''
}

/** "8 分以上 · 2010 后 · 美国、日本 · 不要恐怖" — the filters in a line, or '' when none. */
function describe(filters) {
  const set = normalize(filters)
  return ORDER.filter((field) => set[field] !== undefined)
    .map((field) => {
      if (field === 'countries') return set.countries.join('、')
      if (field === 'genres_exclude') return `不要${set.genres_exclude.join('、')}`
      return choiceLabel(field, set[field])
    })
    .filter(Boolean)
    .join(' · ')
}

/** How many filters are set. */
function count(filters) {
  return Object.keys(normalize(filters)).length
}

/** The sheet's rows, each choice marked when chosen. */
function rows(filters) {
  const set = normalize(filters)
  return SHEET.map((field) => {
    if (MULTIPLE[field]) {
      const chosen = set[field] || []
      return {
        field,
        multiple: true,
        label: MULTIPLE[field].label,
        choices: MULTIPLE[field].choices.map((name, index) => ({ index, label: name, on: chosen.includes(name) })),
      }
    }
    return {
      field,
      multiple: false,
      label: SINGLE[field].label,
      choices: SINGLE[field].choices.map((choice, index) => ({
        index,
        label: choice.label,
        on: same(choice.value === null ? undefined : choice.value, set[field]),
      })),
    }
  })
}

/** `filters` with choice `index` of `field` tapped: a single choice set, a multiple one toggled. */
function choose(filters, field, index) {
  const next = { ...normalize(filters) }
  if (MULTIPLE[field]) {
    const name = MULTIPLE[field].choices[index]
    const chosen = next[field] || []
    next[field] = chosen.includes(name) ? chosen.filter((each) => each !== name) : chosen.concat(name)
  } else {
    next[field] = SINGLE[field].choices[index].value
  }
  return normalize(next)
}

module.exports = { normalize, validate, describe, count, rows, choose }
