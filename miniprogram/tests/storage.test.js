const storage = require('../src/utils/storage')
const { douban } = require('./helpers/fixtures')

describe('bounded lists', () => {
  test('keep the newest first and replace an older entry with the same key', () => {
    storage.seen.add(storage.seenEntry({ doubanId: '1', title: '甲' }))
    storage.seen.add(storage.seenEntry({ doubanId: '2', title: '乙' }))
    storage.seen.add(storage.seenEntry({ doubanId: '1', title: '甲' }))
    expect(storage.seen.all().map((item) => item.title)).toEqual(['甲', '乙'])
  })

  test.each(Object.keys(storage.LIMITS))('%s never grows past its limit, dropping the oldest', (name) => {
    const limit = storage.LIMITS[name]
    for (let i = 0; i <= limit; i += 1) storage[name].add({ key: `k${i}` })
    const keys = storage[name].keys()
    expect(keys).toHaveLength(limit)
    expect(keys[0]).toBe(`k${limit}`)
    expect(keys).not.toContain('k0')
  })

  test('toggle adds then removes, and says which it did', () => {
    const entry = storage.seenEntry({ doubanId: '3541415', title: '盗梦空间', year: 2010 })
    expect(storage.seen.toggle(entry)).toBe(true)
    expect(storage.seen.has('douban:3541415')).toBe(true)
    expect(storage.seen.toggle(entry)).toBe(false)
    expect(storage.seen.has('douban:3541415')).toBe(false)
  })

  test('remove and clear edit the list', () => {
    storage.history.add({ key: 'a' })
    storage.history.add({ key: 'b' })
    storage.history.remove('a')
    expect(storage.history.keys()).toEqual(['b'])
    storage.history.clear()
    expect(storage.history.all()).toEqual([])
  })

  test('replace swaps an entry where it stands, and adds nothing', () => {
    storage.favourites.add({ key: 'a', version: 1 })
    storage.favourites.add({ key: 'b' })
    storage.favourites.replace({ key: 'a', version: 2 })
    storage.favourites.replace({ key: 'c' })
    expect(storage.favourites.all()).toEqual([{ key: 'b' }, { key: 'a', version: 2 }])
  })

  test('something else stored under a key reads as an empty list', () => {
    wx.setStorageSync('movierec:favourites', 'not a list')
    expect(storage.favourites.all()).toEqual([])
  })
})

test('a movie is keyed by Douban id, or by title when typed in by hand', () => {
  expect(storage.seenEntry({ doubanId: '3541415', title: '盗梦空间' }).key).toBe('douban:3541415')
  expect(storage.seenEntry({ title: '霸王别姬' }).key).toBe('title:霸王别姬')
  expect(storage.favouriteEntry({ douban: douban('盗梦空间') }).key).toBe('douban:3541415')
})

test('history entries with the same mode and text are one entry', () => {
  const query = { mode: 'tags', tags: ['科幻'], count: 8 }
  storage.history.add(storage.historyEntry(query, '科幻'))
  storage.history.add(storage.historyEntry({ ...query, count: 5 }, '科幻'))
  expect(storage.history.all()).toHaveLength(1)
  expect(storage.history.all()[0].query.count).toBe(5)
})
