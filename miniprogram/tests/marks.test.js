/**
 * The person's marks on the phone (utils/marks.js): every change stamped and
 * noted for sync (removals as tombstones), what they say about taste, an
 * imported Douban history merged in, and marks from another phone merged by
 * newest updated_at.
 */
const storage = require('../src/utils/storage')

let marks
beforeEach(() => {
  jest.resetModules() // a fresh app: the module keeps its last stamp in memory
  marks = require('../src/utils/marks')
})

const INCEPTION = { doubanId: '3541415', title: '盗梦空间', year: 2010 }
const INTERSTELLAR = { doubanId: '1889243', title: '星际穿越', year: 2014 }
const TYPED = { title: '霸王别姬' }

const outbox = () => marks.pending().sort((a, b) => a.updated_at - b.updated_at)
const seenTitles = () => storage.seen.all().map((entry) => entry.title)

describe('changes are stamped and noted for the next sync', () => {
  test('看过, stars, 收藏 and 不感兴趣 each become one mark in the API shape', () => {
    marks.toggleSeen(INCEPTION)
    marks.rate(INTERSTELLAR, 4)
    marks.toggleDisliked({ doubanId: '1291843', title: '电锯惊魂', year: 2004 })
    marks.toggleSeen(TYPED)
    const now = Date.now()
    expect(outbox()).toEqual([
      { douban_id: '3541415', title: '盗梦空间', status: 'seen', rating: null, updated_at: now },
      { douban_id: '1889243', title: '星际穿越', status: 'seen', rating: 4, updated_at: now + 1 },
      { douban_id: '1291843', title: '电锯惊魂', status: 'disliked', rating: null, updated_at: now + 2 },
      { douban_id: null, title: '霸王别姬', status: 'seen', rating: null, updated_at: now + 3 },
    ])
  })

  test('a removal leaves a tombstone newer than the mark, until it is synced', () => {
    marks.toggleSeen(INCEPTION)
    jest.advanceTimersByTime(1000)
    expect(marks.toggleSeen(INCEPTION)).toBe(false)
    expect(storage.seen.all()).toEqual([])
    expect(outbox()).toEqual([
      expect.objectContaining({ douban_id: '3541415', status: 'seen', deleted: true, updated_at: Date.now() }),
    ])
  })

  test('clearing a list leaves a tombstone for each film', () => {
    marks.toggleSeen(INCEPTION)
    marks.toggleSeen(INTERSTELLAR)
    jest.advanceTimersByTime(1000)
    marks.clear('seen')
    expect(storage.seen.all()).toEqual([])
    expect(outbox().map((mark) => [mark.title, mark.deleted, mark.updated_at])).toEqual(
      expect.arrayContaining([
        ['盗梦空间', true, Date.now()],
        ['星际穿越', true, Date.now()],
      ]),
    )
  })

  test('a note is let go once sent, unless the film changed again meanwhile', () => {
    marks.toggleSeen(INCEPTION)
    marks.toggleSeen(INTERSTELLAR)
    const sent = marks.pending()
    marks.rate(INTERSTELLAR, 5) // while the sync was on its way
    marks.acknowledge(sent)
    expect(outbox()).toEqual([expect.objectContaining({ title: '星际穿越', rating: 5 })])
  })

  test('a title from an import that is blank or too long still makes a valid mark', () => {
    marks.importHistory([{ douban_id: '1292052', title: '', rating: null, marked_at: null, status: 'seen' }])
    marks.toggleSeen({ title: `长${'片'.repeat(120)}` })
    const titles = marks.pending().map((mark) => mark.title)
    expect(titles).toContain('豆瓣 1292052')
    expect(titles.every((title) => Array.from(title).length <= 100)).toBe(true)
  })
})

describe('stars', () => {
  test('rating a film marks it seen, in place; a rating can be taken back', () => {
    marks.toggleSeen(INCEPTION)
    marks.toggleSeen(INTERSTELLAR)
    marks.rate(INCEPTION, 5)
    expect(seenTitles()).toEqual(['星际穿越', '盗梦空间']) // rating does not reorder the list
    expect(marks.ratingOf('douban:3541415')).toBe(5)
    marks.rate(INCEPTION, 0)
    expect(marks.ratingOf('douban:3541415')).toBe(0)
    marks.rate({ doubanId: '3075287', title: '源代码', year: 2011 }, 3)
    expect(storage.seen.find('douban:3075287')).toMatchObject({ title: '源代码', rating: 3 })
  })
})

describe('taste', () => {
  test('liked: favourites, then 5 and 4 stars; disliked: 不感兴趣, then 1 and 2 stars; 3 stars neither', () => {
    storage.favourites.add({ key: 'douban:1', doubanId: '1', title: '甲' })
    marks.rate({ doubanId: '2', title: '乙' }, 4)
    marks.rate({ doubanId: '3', title: '丙' }, 5)
    marks.rate({ doubanId: '4', title: '丁' }, 3)
    marks.rate({ doubanId: '5', title: '戊' }, 1)
    marks.rate({ title: '己' }, 2)
    marks.toggleDisliked({ doubanId: '6', title: '庚' })
    expect(marks.taste()).toEqual({ liked: ['1', '3', '2'], disliked: ['6', '5', '己'] })
  })

  test('at most 200 each, the API limit', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      key: `douban:${i}`,
      doubanId: String(i),
      title: `片${i}`,
      rating: 5,
      at: i,
    }))
    storage.seen.save(many)
    expect(marks.taste().liked).toHaveLength(200)
  })

  test('and at most 6,000 characters each: titles typed by hand count whole', () => {
    const typed = Array.from({ length: 100 }, (_, i) => ({ key: `title:${i}`, title: `${'片'.repeat(98)}${i}`.slice(0, 100), rating: 1, at: i }))
    storage.seen.save(typed)
    const { disliked } = marks.taste()
    expect(disliked).toHaveLength(60)
    expect(disliked.join('').length).toBeLessThanOrEqual(6000)
  })

  test('excluded: 不感兴趣 and everything seen, by Douban id where known', () => {
    marks.toggleSeen(INCEPTION)
    marks.toggleSeen(TYPED)
    marks.toggleDisliked(INTERSTELLAR)
    expect(marks.excluded()).toEqual(['1889243', '霸王别姬', '3541415'])
  })
})

describe('an imported Douban history', () => {
  const entry = (doubanId, title, rating, status = 'seen', markedAt = 1600000000000) => ({
    douban_id: doubanId,
    title,
    rating,
    marked_at: markedAt,
    status,
  })

  test('is added to the seen list with its stars, in Douban order; wishes are left out', () => {
    const summary = marks.importHistory([
      entry('1292052', '肖申克的救赎', 5, 'seen', 1700000000000),
      entry('1291546', '霸王别姬', null, 'watching', 1690000000000),
      entry('1292720', '阿甘正传', 4, 'wish'),
    ])
    expect(summary).toEqual({ added: 2, starred: 1, rated: 0, known: 0, wished: 1 })
    expect(storage.seen.all().map((each) => [each.title, each.rating])).toEqual([
      ['肖申克的救赎', 5],
      ['霸王别姬', null],
    ])
    expect(marks.pending()).toHaveLength(2)
  })

  test('a film already seen takes the imported stars when it had none or they are newer', () => {
    marks.rate(INCEPTION, 3) // rated here today
    marks.toggleSeen(INTERSTELLAR) // seen here, never rated
    const summary = marks.importHistory([
      entry('3541415', '盗梦空间', 5, 'seen', 1600000000000), // older than the rating here
      entry('1889243', '星际穿越', 4),
    ])
    expect(summary).toEqual({ added: 0, starred: 0, rated: 1, known: 1, wished: 0 })
    expect([marks.ratingOf('douban:3541415'), marks.ratingOf('douban:1889243')]).toEqual([3, 4])
  })

  test('a film typed in by hand is matched by title and takes its Douban id, once', () => {
    marks.toggleSeen(TYPED)
    marks.importHistory([entry('1291546', '霸王别姬', 5)])
    expect(storage.seen.all()).toEqual([expect.objectContaining({ key: 'douban:1291546', title: '霸王别姬', rating: 5 })])
    expect(marks.pending().map((mark) => [mark.douban_id, mark.deleted || false])).toEqual(
      expect.arrayContaining([
        [null, true], // the typed title's tombstone, for the other phones
        ['1291546', false],
      ]),
    )
  })

  test('thousands of films stay within the seen list limit, newest kept', () => {
    const films = Array.from({ length: 5200 }, (_, i) => entry(String(1000000 + i), `片${i}`, null, 'seen', 1e12 + i))
    const summary = marks.importHistory(films)
    expect(summary.added).toBe(5200)
    // One stamp for the whole import: the marks never run ahead of the clock.
    expect(new Set(marks.pending().map((mark) => mark.updated_at))).toEqual(new Set([Date.now()]))
    const seen = storage.seen.all()
    expect(seen).toHaveLength(storage.LIMITS.seen)
    expect(seen[0].title).toBe('片5199')
  })
})

describe('marks from another phone', () => {
  const remote = (overrides) => ({
    douban_id: '3541415',
    title: '盗梦空间',
    status: 'seen',
    rating: null,
    updated_at: Date.now() + 1000,
    ...overrides,
  })

  test('a newer mark wins; an older one changes nothing', () => {
    marks.rate(INCEPTION, 3)
    expect(marks.applyRemote([remote({ rating: 5, updated_at: Date.now() - 1000 })])).toBe(0)
    expect(marks.ratingOf('douban:3541415')).toBe(3)
    expect(marks.applyRemote([remote({ rating: 5 })])).toBe(1)
    expect(marks.ratingOf('douban:3541415')).toBe(5)
  })

  test('a newer removal removes; a removal here wins over an older mark from there', () => {
    marks.toggleSeen(INCEPTION)
    marks.applyRemote([remote({ deleted: true })])
    expect(storage.seen.all()).toEqual([])

    marks.toggleSeen(INTERSTELLAR)
    jest.advanceTimersByTime(5000)
    marks.toggleSeen(INTERSTELLAR) // removed here: a tombstone waits in the outbox
    marks.applyRemote([remote({ douban_id: '1889243', title: '星际穿越', updated_at: Date.now() - 2000 })])
    expect(storage.seen.all()).toEqual([])
  })

  test('a favourite from there comes without its Douban record, to be read when opened', () => {
    marks.applyRemote([remote({ status: 'favourite' })])
    expect(storage.favourites.all()).toEqual([
      expect.objectContaining({ key: 'douban:3541415', title: '盗梦空间', douban: null }),
    ])
  })

  test('a remote mark that wins drops the note here: nothing stale is sent back', () => {
    marks.toggleDisliked(INCEPTION)
    marks.applyRemote([remote({ status: 'disliked', deleted: true })])
    expect(marks.pending()).toEqual([])
    expect(storage.disliked.all()).toEqual([])
  })

  test('marks of unknown statuses, or naming no film, are ignored', () => {
    expect(marks.applyRemote([remote({ status: 'wish' }), remote({ douban_id: null, title: '' })])).toBe(0)
  })
})

test('listeners hear of every change made here, not of marks from elsewhere', () => {
  const listener = jest.fn()
  const stop = marks.onLocalChange(listener)
  marks.toggleSeen(INCEPTION)
  marks.applyRemote([{ douban_id: '1', title: '甲', status: 'seen', rating: null, updated_at: Date.now() + 1 }])
  expect(listener).toHaveBeenCalledTimes(1)
  stop()
  marks.toggleSeen(INTERSTELLAR)
  expect(listener).toHaveBeenCalledTimes(1)
})
