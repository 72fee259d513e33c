/**
 * Syncing marks with the server (utils/sync.js) against the fake backend's
 * marks table, which merges as the server does: push what changed here, pull
 * what changed elsewhere, newest updated_at wins, tombstones until synced.
 */
const storage = require('../src/utils/storage')
const { createBackend, reply, offline } = require('./helpers/backend')

let backend
let marks
let session
let sync
beforeEach(() => {
  jest.resetModules()
  marks = require('../src/utils/marks')
  session = require('../src/utils/session')
  sync = require('../src/utils/sync')
  backend = createBackend()
  backend.requireSignIn()
})

const INCEPTION = { doubanId: '3541415', title: '盗梦空间', year: 2010 }
const INTERSTELLAR = { doubanId: '1889243', title: '星际穿越', year: 2014 }

/** A mark as another phone sent it, a moment ago. */
function fromElsewhere(overrides) {
  return { douban_id: '1292052', title: '肖申克的救赎', status: 'seen', rating: 5, updated_at: Date.now() - 1000, ...overrides }
}

const pushes = () => backend.callsTo('POST', '/me/marks').map((call) => call.data.marks)
const pulls = () => backend.callsTo('GET', '/me/marks').map((call) => call.url.split('?')[1] || '')

test('without a token nothing is synced: an open server keeps no marks', async () => {
  marks.toggleSeen(INCEPTION)
  await expect(sync.now()).resolves.toBe(false)
  expect(backend.calls).toHaveLength(0)
  expect(marks.pending()).toHaveLength(1) // kept for when there is a server to send it to
})

test('the first sync sends every list whole, then takes in what another phone sent', async () => {
  marks.rate(INCEPTION, 5)
  marks.toggleFavourite(storage.favouriteEntry({ douban: { id: '1889243', title: '星际穿越', year: 2014 } }))
  backend.marks.put(fromElsewhere())
  await session.start()
  await expect(sync.now()).resolves.toBe(true)

  expect(pushes()).toEqual([
    [
      expect.objectContaining({ douban_id: '3541415', status: 'seen', rating: 5 }),
      expect.objectContaining({ douban_id: '1889243', status: 'favourite' }),
    ],
  ])
  expect(pulls()).toEqual(['']) // everything, the first time
  expect(storage.seen.all().map((entry) => [entry.title, entry.rating])).toEqual(
    expect.arrayContaining([
      ['盗梦空间', 5],
      ['肖申克的救赎', 5],
    ]),
  )
  expect(marks.pending()).toEqual([])
  expect(backend.marks.all()).toHaveLength(3)
})

test('later syncs send only what changed, and ask only for what changed since', async () => {
  marks.toggleSeen(INCEPTION)
  await session.start()
  await sync.now()
  jest.advanceTimersByTime(60000)
  marks.toggleSeen(INTERSTELLAR)
  await sync.now()
  expect(pushes()[1]).toEqual([expect.objectContaining({ douban_id: '1889243' })])
  expect(pulls()[1]).toMatch(/^since=\d+$/)
  expect(Number(pulls()[1].split('=')[1])).toBeLessThan(Date.now())
})

test('a removal goes as a tombstone, removes the film on the other phone, and is then forgotten', async () => {
  marks.toggleSeen(INCEPTION)
  await session.start()
  await sync.now()
  jest.advanceTimersByTime(1000)
  marks.toggleSeen(INCEPTION)
  expect(marks.pending()).toEqual([expect.objectContaining({ deleted: true })])
  await sync.now()
  expect(backend.marks.all()).toEqual([expect.objectContaining({ douban_id: '3541415', deleted: true })])
  expect(marks.pending()).toEqual([])

  // The other phone, which had the film, hears of the removal.
  storage.seen.save([{ ...storage.seenEntry(INCEPTION), at: 1, updatedAt: 1 }])
  wx.removeStorageSync(sync.STATE_KEY)
  await sync.now()
  expect(storage.seen.all()).toEqual([])
})

test('newest wins both ways: a newer mark here is kept, a newer one there replaces this one', async () => {
  marks.rate(INCEPTION, 2)
  backend.marks.put(fromElsewhere({ douban_id: '3541415', title: '盗梦空间', rating: 5, updated_at: Date.now() - 60000 }))
  backend.marks.put(fromElsewhere({ douban_id: '1889243', title: '星际穿越', rating: 4, updated_at: Date.now() + 500 }))
  marks.rate(INTERSTELLAR, 1)
  await session.start()
  jest.advanceTimersByTime(1000)
  await sync.now()
  expect([marks.ratingOf('douban:3541415'), marks.ratingOf('douban:1889243')]).toEqual([2, 4])
})

test('more than 200 changes go in batches of 200', async () => {
  marks.importHistory(
    Array.from({ length: 450 }, (_, i) => ({
      douban_id: String(1000000 + i),
      title: `片${i}`,
      rating: null,
      marked_at: 1e12 + i,
      status: 'seen',
    })),
  )
  await session.start()
  await sync.now()
  expect(pushes().map((batch) => batch.length)).toEqual([200, 200, 50])
  expect(backend.marks.all()).toHaveLength(450)
})

test('offline: nothing is lost, and the next sync sends it', async () => {
  marks.toggleSeen(INCEPTION)
  await session.start()
  backend.onMarks(offline())
  await expect(sync.now()).resolves.toBe(false)
  expect(marks.pending()).toHaveLength(1)
  await expect(sync.now()).resolves.toBe(true)
  expect(marks.pending()).toEqual([])
  expect(backend.marks.all()).toHaveLength(1)
})

test('a batch the server refuses as invalid is let go rather than blocking every later sync', async () => {
  marks.toggleSeen(INCEPTION)
  await session.start()
  backend.onMarks(reply(422, { code: 'invalid_request', details: [{ field: 'marks.0.title', message: 'too long' }] }))
  await expect(sync.now()).resolves.toBe(true)
  expect(marks.pending()).toEqual([])
})

test('an expired session signs in again and the sync goes through', async () => {
  marks.toggleSeen(INCEPTION)
  await session.start()
  backend.expireTokens()
  await expect(sync.now()).resolves.toBe(true)
  expect(backend.callsTo('POST', '/sessions')).toHaveLength(2)
  expect(backend.marks.all()).toHaveLength(1)
})

test('syncs asked for while one runs make one more, and listeners hear when lists changed', async () => {
  backend.marks.put(fromElsewhere())
  await session.start()
  const listener = jest.fn()
  sync.onSynced(listener)
  const first = sync.now()
  sync.now()
  sync.now()
  await first
  expect(pulls()).toHaveLength(2)
  expect(listener).toHaveBeenCalledTimes(1) // the second pull changed nothing
})

test('soon() waits for a burst of changes to end, then syncs once', async () => {
  await session.start()
  marks.onLocalChange(sync.soon)
  marks.toggleSeen(INCEPTION)
  await jest.advanceTimersByTimeAsync(1000)
  marks.toggleSeen(INTERSTELLAR)
  await jest.advanceTimersByTimeAsync(sync.DEBOUNCE_MS - 1)
  expect(pushes()).toHaveLength(0)
  await jest.advanceTimersByTimeAsync(1)
  await jest.advanceTimersByTimeAsync(0)
  expect(pushes()).toHaveLength(1)
  expect(pushes()[0]).toHaveLength(2)
})
