const {
  LIMITS,
  buildQuery,
  likeQuery,
  validateQuery,
  validateRefine,
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
    ['a 101-character mood', buildQuery('for_me', { mood: repeat('心', 101) }), '心情最多 100 个字'],
    ['a 101-character refinement', { ...buildQuery('star', { star: '周星驰' }), refine: repeat('冷', 101) }, '调整要求最多 100 个字'],
    ['a blank refinement', { ...buildQuery('star', { star: '周星驰' }), refine: '' }, '请输入调整要求'],
    ['a like that is no Douban id', { ...buildQuery('theme', { theme: '像《盗梦空间》' }), like: 'abc' }, '这部电影的链接有误'],
    ['a rating filter over 10', { ...buildQuery('star', { star: '周星驰' }), filters: { min_rating: 11 } }, '筛选条件无法识别'],
    ['years the wrong way round', { ...buildQuery('star', { star: '周星驰' }), filters: { years: { from: 2020, to: 2000 } } }, '筛选条件无法识别'],
    ['an unknown kind', { ...buildQuery('star', { star: '周星驰' }), filters: { kind: 'anime' } }, '筛选条件无法识别'],
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
    ['for_me without a mood', buildQuery('for_me')],
    ['for_me with a 100-character mood', buildQuery('for_me', { mood: repeat('心', 100) })],
    ['more like a film', likeQuery({ doubanId: '3541415', title: '盗梦空间' })],
    ['every filter', buildQuery('tags', { tags: ['科幻'], filters: { min_rating: 8, min_votes: 1000, years: { from: 2010 }, countries: ['美国'], genres_exclude: ['恐怖'], max_runtime: 120, kind: 'movie' } })],
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

describe('the new kinds of query', () => {
  test('for_me keeps the mood only when one is given', () => {
    expect(buildQuery('for_me', { mood: '  今晚想看点轻松的 \n' })).toEqual({ mode: 'for_me', count: 8, mood: '今晚想看点轻松的' })
    expect(buildQuery('for_me', { mood: '   ' })).toEqual({ mode: 'for_me', count: 8 })
    expect(describeQuery(buildQuery('for_me'))).toBe('根据你的口味')
    expect(describeQuery(buildQuery('for_me', { mood: '想哭一场' }))).toBe('想哭一场')
  })

  test('更多类似 is a theme query naming the film, with its Douban id as `like`', () => {
    expect(likeQuery({ doubanId: '3541415', title: '盗梦空间' }, { count: 5, filters: { min_rating: 8 } })).toEqual({
      mode: 'theme',
      theme: '像《盗梦空间》那样的电影',
      like: '3541415',
      count: 5,
      filters: { min_rating: 8 },
    })
  })

  test('filters go with a query only when some are set', () => {
    expect(buildQuery('star', { star: '周星驰', filters: { min_rating: null, countries: [] } })).toEqual({
      mode: 'star',
      star: '周星驰',
      count: 8,
    })
    expect(buildQuery('star', { star: '周星驰', filters: { kind: 'tv' } }).filters).toEqual({ kind: 'tv' })
  })

  test('a refinement typed in is trimmed and bounded', () => {
    expect(validateRefine('  更冷门一点 ')).toBe('')
    expect(validateRefine('  ')).toBe('请输入调整要求')
    expect(validateRefine(repeat('冷', 101))).toBe('调整要求最多 100 个字')
  })
})

describe('buildExclude', () => {
  test('keeps order, drops duplicates, blanks and over-long titles', () => {
    expect(buildExclude(['盗梦空间', ' 星际穿越 '], ['盗梦空间', '', repeat('长', 101), '源代码'])).toEqual([
      '盗梦空间',
      '星际穿越',
      '源代码',
    ])
  })

  test('never sends more than the API accepts (2,000), earlier lists first', () => {
    const shown = Array.from({ length: 150 }, (_, i) => `shown ${i}`)
    const seen = Array.from({ length: 5000 }, (_, i) => String(1000000 + i))
    const exclude = buildExclude(shown, seen)
    expect(LIMITS.maxExclude).toBe(2000)
    expect(exclude).toHaveLength(2000)
    expect(exclude[149]).toBe('shown 149')
    expect(exclude[150]).toBe('1000000')
  })

  test('nor more than 30,000 characters in all: long typed titles stop the list early', () => {
    const titles = Array.from({ length: 400 }, (_, i) => `${repeat('长', 95)}${String(i).padStart(5, '0')}`)
    const exclude = buildExclude(titles, ['1292052'])
    expect(exclude).toHaveLength(300)
    expect(exclude.join('').length).toBe(30000)
  })
})

describe('filters removed from what was read (dismissed_filters)', () => {
  const query = { mode: 'theme', theme: '90年代港片', count: 8 }

  test('a query may say which filters read from its words were removed', () => {
    expect(validateQuery({ ...query, dismissed_filters: ['years', 'countries'] })).toBe('')
  })

  test.each([[['director']], ['years'], [Array(10).fill('years')]])('%j is not such a list', (dismissed) => {
    expect(validateQuery({ ...query, dismissed_filters: dismissed })).toBe('筛选条件无法识别')
  })
})
