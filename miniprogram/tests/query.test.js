const {
  LIMITS,
  buildQuery,
  validateQuery,
  validateNewTag,
  describeQuery,
  buildExclude,
} = require('../src/utils/query')

const repeat = (text, times) => text.repeat(times)

describe('validateQuery follows the API limits', () => {
  test.each([
    ['no tags', buildQuery('tags', { tags: [] }), '至少选择 1 个标签'],
    ['blank tags only', buildQuery('tags', { tags: ['  ', ''] }), '至少选择 1 个标签'],
    ['nine tags', buildQuery('tags', { tags: '一二三四五六七八九'.split('') }), '最多选择 8 个标签'],
    ['a 21-character tag', buildQuery('tags', { tags: [repeat('长', 21)] }), '标签最多 20 个字'],
    ['an empty theme', buildQuery('theme', { theme: '   ' }), '请输入主题'],
    ['a 201-character theme', buildQuery('theme', { theme: repeat('梦', 201) }), '主题最多 200 个字'],
    ['an empty star', buildQuery('star', { star: '' }), '请输入明星名字'],
    ['a 51-character star', buildQuery('star', { star: repeat('星', 51) }), '明星名字最多 50 个字'],
    ['count 0', buildQuery('star', { star: '周星驰', count: 0 }), '推荐数量需在 1 到 20 部之间'],
    ['count 21', buildQuery('star', { star: '周星驰', count: 21 }), '推荐数量需在 1 到 20 部之间'],
    ['an unknown mode', { mode: 'genre', count: 8 }, '请选择推荐方式'],
    ['a control character', buildQuery('tags', { tags: ['科\u0007幻'] }), '标签包含无法识别的字符'],
  ])('refuses %s', (_, query, message) => {
    expect(validateQuery(query)).toBe(message)
  })

  test.each([
    ['one tag', buildQuery('tags', { tags: ['科幻'] })],
    ['eight 20-character tags', buildQuery('tags', { tags: Array.from({ length: 8 }, (_, i) => repeat(String(i), 20)) })],
    ['a 200-character theme', buildQuery('theme', { theme: repeat('梦', 200) })],
    ['a 50-character star', buildQuery('star', { star: repeat('星', 50) })],
    ['count 1', buildQuery('star', { star: '周星驰', count: 1 })],
    ['count 20', buildQuery('star', { star: '周星驰', count: 20 })],
  ])('accepts %s', (_, query) => {
    expect(validateQuery(query)).toBe('')
  })

  test('counts characters as the server does, so an emoji is one character', () => {
    expect(validateQuery(buildQuery('tags', { tags: [repeat('🎬', 20)] }))).toBe('')
    expect(validateQuery(buildQuery('tags', { tags: [repeat('🎬', 21)] }))).toBe('标签最多 20 个字')
  })
})

describe('buildQuery', () => {
  test('trims, folds newlines and keeps only the field of the chosen mode', () => {
    expect(buildQuery('theme', { theme: '  时间\n循环 ', tags: ['科幻'], count: 5 })).toEqual({
      mode: 'theme',
      theme: '时间 循环',
      count: 5,
    })
    expect(buildQuery('tags', { tags: [' 科幻 ', '', '悬疑'] })).toEqual({
      mode: 'tags',
      tags: ['科幻', '悬疑'],
      count: LIMITS.defaultCount,
    })
  })
})

test('validateNewTag refuses blanks, duplicates, long tags and a ninth tag', () => {
  expect(validateNewTag(' ', [])).toBe('请输入标签')
  expect(validateNewTag('科幻', ['科幻'])).toBe('这个标签已经选上了')
  expect(validateNewTag(repeat('长', 21), [])).toBe('标签最多 20 个字')
  expect(validateNewTag('赛博朋克', '一二三四五六七八'.split(''))).toBe('最多选择 8 个标签')
  expect(validateNewTag('赛博朋克', ['科幻'])).toBe('')
})

test('describeQuery gives the text the server shows as `query`', () => {
  expect(describeQuery(buildQuery('tags', { tags: ['科幻', '悬疑'] }))).toBe('科幻、悬疑')
  expect(describeQuery(buildQuery('theme', { theme: '时间循环' }))).toBe('时间循环')
  expect(describeQuery(buildQuery('star', { star: '周星驰' }))).toBe('周星驰')
})

describe('buildExclude', () => {
  test('keeps order, drops duplicates, blanks and over-long titles', () => {
    expect(buildExclude(['盗梦空间', ' 星际穿越 '], ['盗梦空间', '', repeat('长', 101), '源代码'])).toEqual([
      '盗梦空间',
      '星际穿越',
      '源代码',
    ])
  })

  test('never sends more than the API accepts, earlier lists first', () => {
    const shown = Array.from({ length: 150 }, (_, i) => `shown ${i}`)
    const seen = Array.from({ length: 150 }, (_, i) => `seen ${i}`)
    const exclude = buildExclude(shown, seen)
    expect(exclude).toHaveLength(LIMITS.maxExclude)
    expect(exclude[149]).toBe('shown 149')
    expect(exclude[150]).toBe('seen 0')
  })
})
