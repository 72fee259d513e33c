const { formatCount, toCards, progressText, toDetail } = require('../src/utils/movie')
const { view, movie, partialMovie, douban, fillingIn } = require('./helpers/fixtures')

test('formatCount writes large counts as Douban does', () => {
  expect(formatCount(null)).toBe('')
  expect(formatCount(9999)).toBe('9999')
  expect(formatCount(1970885)).toBe('197.1万')
  expect(formatCount(1800000)).toBe('180万')
})

describe('toCards', () => {
  test('drops not_found movies, orders by rank and flags seen and favourite ones', () => {
    const cards = toCards(
      view('r', 'done', [movie(3, '源代码'), movie(2, '不存在的电影', 'not_found'), movie(1, '盗梦空间')]),
      { seenKeys: ['douban:3541415'], favouriteKeys: ['douban:3075287'] },
    )
    expect(cards.map((card) => [card.rank, card.title, card.seen, card.favourite])).toEqual([
      [1, '盗梦空间', true, false],
      [3, '源代码', false, true],
    ])
  })

  test('a found movie shows its Douban facts, a pending one only what the model said', () => {
    const [found, pending] = toCards(view('r', 'running', [movie(1, '盗梦空间'), movie(2, '星际穿越', 'pending')]))
    expect(found).toMatchObject({
      found: true,
      pending: false,
      year: 2010,
      rating: 9.4,
      genres: '剧情 / 科幻 / 悬疑',
      directors: '克里斯托弗·诺兰',
      cast: '莱昂纳多·迪卡普里奥 / 约瑟夫·高登-莱维特 / 艾利奥特·佩吉',
      reason: '层层嵌套的梦境，烧脑又好看',
    })
    expect(pending).toMatchObject({ found: false, pending: true, title: '星际穿越', posterUrl: '', rating: null })
    expect([found.partial, pending.partial]).toEqual([false, false])
  })

  test('a partial movie is found, flagged partial, and keeps its original title', () => {
    const [card] = toCards(view('r', 'done', [partialMovie(1, '盗梦空间')]))
    expect(card).toMatchObject({
      found: true,
      partial: true,
      title: '盗梦空间',
      originalTitle: 'Inception',
      year: 2010,
      rating: null,
      genres: '',
      directors: '',
      cast: '',
    })
    expect(card.posterUrl).toMatch(/p3541415\.jpg$/)
  })
})

test('progressText counts found movies against the count asked for, and says nothing of internal misses', () => {
  const [pending, thinking, oneFound, done] = fillingIn('r')
  expect(progressText(pending)).toBe('正在思考推荐什么…')
  expect(progressText(thinking)).toBe('正在豆瓣查找 · 已找到 0/3')
  expect(progressText(oneFound)).toBe('正在豆瓣查找 · 已找到 1/3')
  expect(progressText(done)).toBe('为你找到 2 部')
  expect(progressText(view('r', 'done', [movie(1, '盗梦空间')]))).toBe('为你找到 1 部')
  expect(progressText(view('r', 'done', [movie(1, '不存在的电影', 'not_found')]))).toBe('')
})

test('toCards numbers the cards as shown: a dropped not_found card leaves no gap', () => {
  const shown = toCards(
    view('r', 'done', [
      movie(1, '盗梦空间'),
      movie(2, '不存在的电影', 'not_found'),
      movie(3, '星际穿越'),
      movie(4, '源代码'),
    ]),
  )
  expect(shown.map((card) => [card.position, card.rank, card.title])).toEqual([
    [1, 1, '盗梦空间'],
    [2, 3, '星际穿越'],
    [3, 4, '源代码'],
  ])
})

test('toCards numbers only the cards shown in full: one folded as 不感兴趣 has no number and leaves no gap', () => {
  const movies = [movie(1, '盗梦空间'), movie(2, '星际穿越'), movie(3, '源代码')]
  const shown = toCards(view('r', 'done', movies), { dislikedKeys: ['douban:1889243'] })
  expect(shown.map((card) => [card.position, card.title, card.disliked])).toEqual([
    [1, '盗梦空间', false],
    [0, '星际穿越', true],
    [2, '源代码', false],
  ])
})

describe('toDetail', () => {
  test('lists every Douban fact that has a value', () => {
    const detail = toDetail(douban('盗梦空间'))
    expect(detail.subtitle).toBe('电影 · 2010 · 美国 / 英国 · 剧情 / 科幻 / 悬疑')
    expect(detail.originalTitle).toBe('Inception')
    expect(detail.facts).toEqual([
      { label: '导演', value: '克里斯托弗·诺兰' },
      { label: '编剧', value: '克里斯托弗·诺兰' },
      { label: '主演', value: '莱昂纳多·迪卡普里奥 / 约瑟夫·高登-莱维特 / 艾利奥特·佩吉 / 汤姆·哈迪' },
      { label: '类型', value: '剧情 / 科幻 / 悬疑 / 冒险' },
      { label: '制片国家/地区', value: '美国 / 英国' },
      { label: '语言', value: '英语 / 日语 / 法语' },
      { label: '上映日期', value: '2010-09-01(中国大陆) / 2010-07-16(美国)' },
      { label: '片长', value: '148 分钟' },
      { label: '又名', value: '潜行凶间 / 全面启动' },
      { label: 'IMDb', value: 'tt1375666' },
    ])
  })

  test('describes a series by its episodes', () => {
    const detail = toDetail(douban('源代码', { kind: 'tv', runtime_minutes: null, episodes: 10, episode_minutes: 45 }))
    expect(detail.subtitle.startsWith('剧集')).toBe(true)
    expect(detail.facts).toContainEqual({ label: '集数', value: '共 10 集 · 每集 45 分钟' })
    expect(detail.facts.map((fact) => fact.label)).not.toContain('编剧')
  })
})
