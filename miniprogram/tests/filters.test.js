/** 筛选 (utils/filters.js): the sheet's choices and the API's `filters` object. */
const filters = require('../src/utils/filters')

test('only the fields set go to the API', () => {
  expect(filters.normalize({ min_rating: null, countries: [], kind: 'any', genres_exclude: ['恐怖', '恐怖'] })).toEqual({
    genres_exclude: ['恐怖'],
  })
  expect(filters.normalize(undefined)).toEqual({})
})

test('choices set a field, or toggle a name in a list; 不限 takes the field away', () => {
  const row = (set, field) => filters.rows(set).find((each) => each.field === field)
  let set = filters.choose({}, 'min_rating', 2)
  expect(set).toEqual({ min_rating: 8 })
  set = filters.choose(set, 'years', 2)
  set = filters.choose(set, 'countries', 3)
  set = filters.choose(set, 'countries', 4)
  set = filters.choose(set, 'countries', 3)
  set = filters.choose(set, 'kind', 1)
  expect(set).toEqual({ min_rating: 8, years: { from: 2010 }, countries: ['日本'], kind: 'movie' })
  expect(row(set, 'min_rating').choices.filter((choice) => choice.on).map((choice) => choice.label)).toEqual(['8 分以上'])
  expect(row(set, 'countries').choices.filter((choice) => choice.on).map((choice) => choice.label)).toEqual(['日本'])
  expect(filters.choose(set, 'min_rating', 0)).not.toHaveProperty('min_rating')
  expect(row({}, 'max_runtime').choices.filter((choice) => choice.on).map((choice) => choice.label)).toEqual(['不限'])
})

test('described in a line, as the header and the home page show them', () => {
  expect(filters.describe({})).toBe('')
  expect(
    filters.describe({
      min_rating: 8,
      years: { from: 2010 },
      countries: ['美国', '日本'],
      genres_exclude: ['恐怖'],
      kind: 'tv',
      max_runtime: 120,
    }),
  ).toBe('8 分以上 · 2010 后 · 美国、日本 · 不要恐怖 · 只看剧集 · 2 小时内')
  // Values the sheet does not offer, from a link, are said plainly.
  expect(filters.describe({ min_rating: 7.5, min_votes: 5000, years: { from: 1990, to: 1999 } })).toBe(
    '7.5 分以上 · 1990–1999 · 5000 人以上评价',
  )
  expect(filters.count({ min_rating: 8, countries: ['美国', '日本'] })).toBe(2)
})

test.each([
  [{ min_rating: -1 }],
  [{ min_rating: '8' }],
  [{ min_votes: 1.5 }],
  [{ years: {} }],
  [{ years: { from: 1800 } }],
  [{ countries: '美国' }],
  [{ countries: Array.from({ length: 21 }, (_, i) => `国${i}`) }],
  [{ genres_exclude: [''] }],
  [{ max_runtime: 0 }],
  [{ kind: 'anime' }],
  [[]],
])('a link carrying %j is refused', (set) => {
  expect(filters.validate(set)).toBe('筛选条件无法识别')
})

test('every choice the sheet offers is valid', () => {
  const everything = filters.rows({}).reduce((set, row) => {
    let next = set
    row.choices.forEach((choice) => {
      next = filters.choose(next, row.field, choice.index)
    })
    return next
  }, {})
  expect(filters.validate(everything)).toBe('')
  expect(filters.validate(undefined)).toBe('')
})
