/**
 * 删除我的数据 from 我的, confirmed first: DELETE /me erases the person on the
 * server, then everything the phone keeps goes; when the server cannot erase,
 * nothing is lost and the sheet says so. The agreements open from the same
 * line.
 */
const { openPage, fire, text, all } = require('./helpers/render')
const { createBackend, offline } = require('./helpers/backend')
const { lastNavigation, CONSENT_KEY } = require('./helpers/wx')
const { douban } = require('./helpers/fixtures')
const storage = require('../src/utils/storage')
const marks = require('../src/utils/marks')

let backend
beforeEach(() => {
  backend = createBackend()
})

/** A person the phone knows well: history, films seen, a favourite, one not wanted, a reported card. */
function seedEverything() {
  storage.history.add(storage.historyEntry({ mode: 'star', star: '周星驰', count: 5 }, '周星驰', 'req-1'))
  marks.rate({ doubanId: '3541415', title: '盗梦空间', year: 2010 }, 5)
  marks.toggleFavourite(storage.favouriteEntry({ douban: douban('星际穿越'), reason: '硬核', requestId: 'req-1', rank: 2 }))
  marks.toggleDisliked({ doubanId: '1291843', title: '电锯惊魂', year: 2004 })
  storage.reported.add(storage.reportedEntry('req-1', 3))
}

const sheetOf = (page) => page.querySelector('.erase-sheet')
const shown = (page) => Boolean(sheetOf(page).querySelector('.sheet').querySelector('.mask'))
const kept = () =>
  ['history', 'seen', 'favourites', 'disliked', 'reported'].reduce(
    (lists, name) => ({ ...lists, [name]: storage[name].all().length }),
    {},
  )

test('the agreements open from 我的', async () => {
  const page = await openPage('my')
  await fire(page, '.terms-link')
  expect(lastNavigation()).toBe('/pages/agreement/index?doc=terms')
  await fire(page, '.policy-link')
  expect(lastNavigation()).toBe('/pages/agreement/index?doc=privacy')
})

test('删除我的数据 asks first, saying what goes; 取消 sends nothing and keeps everything', async () => {
  seedEverything()
  const page = await openPage('my')
  await fire(page, '.erase-link')
  expect(shown(page)).toBe(true)
  const sheet = sheetOf(page)
  expect(all(sheet, '.item').map(text)).toEqual([
    '看过、收藏、不感兴趣和你的评分',
    '推荐记录，包括分享出去的推荐（链接将打不开）',
    '导入的豆瓣记录',
    '你提交的反馈与举报',
    '登录状态（所有手机都会退出登录）',
  ])
  expect(text(sheet.querySelector('.warning'))).toContain('删除后无法恢复')
  await fire(sheet, '.cancel')
  expect(shown(page)).toBe(false)
  expect(backend.calls).toEqual([])
  expect(kept()).toEqual({ history: 1, seen: 1, favourites: 1, disliked: 1, reported: 1 })
})

test('confirmed, the server erases the person and the phone forgets everything', async () => {
  backend.requireSignIn()
  seedEverything()
  await require('../src/utils/session').start()
  await require('../src/utils/sync').now()
  expect(backend.marks.all()).toHaveLength(3)
  const page = await openPage('my')

  await fire(page, '.erase-link')
  await fire(sheetOf(page), '.confirm')

  const [erase] = backend.callsTo('DELETE', '/me')
  expect(erase.header.Authorization).toMatch(/^Bearer token-/)
  expect(backend.marks.all()).toEqual([])
  expect(kept()).toEqual({ history: 0, seen: 0, favourites: 0, disliked: 0, reported: 0 })
  for (const key of ['movierec:session', 'movierec:sync', 'movierec:outbox', CONSENT_KEY]) {
    expect(wx.getStorageSync(key)).toBe('')
  }
  expect(shown(page)).toBe(false)
  expect(page.instance.data.counts).toEqual({ history: 0, seen: 0, favourites: 0, disliked: 0 })
  expect(wx.showToast).toHaveBeenCalledWith({ title: '你的数据已全部删除', icon: 'none' })
})

test('when the server cannot be reached nothing is erased, and the sheet says so', async () => {
  backend.requireSignIn()
  seedEverything()
  backend.onErase(offline())
  const page = await openPage('my')
  await fire(page, '.erase-link')
  await fire(sheetOf(page), '.confirm')
  expect(text(sheetOf(page).querySelector('.problem'))).toBe(
    '网络连接不上，请检查网络后重试，你的数据都还在，可以再试一次',
  )
  expect(shown(page)).toBe(true)
  expect(kept()).toEqual({ history: 1, seen: 1, favourites: 1, disliked: 1, reported: 1 })
})

test('a server without sign-in keeps nobody\'s data: the phone\'s own is erased', async () => {
  seedEverything()
  const page = await openPage('my')
  await fire(page, '.erase-link')
  await fire(sheetOf(page), '.confirm')
  expect(backend.callsTo('DELETE', '/me')).toHaveLength(1)
  expect(kept()).toEqual({ history: 0, seen: 0, favourites: 0, disliked: 0, reported: 0 })
  expect(shown(page)).toBe(false)
})

test('erasing needs no agreement to a new version of the texts, and afterwards the next request asks again', async () => {
  backend.requireSignIn()
  wx.setStorageSync(CONSENT_KEY, { version: '2025-01-01', at: 1 })
  const page = await openPage('my')
  await fire(page, '.erase-link')
  await fire(sheetOf(page), '.confirm')
  // Never signed in on this phone: the 401 signs the person in, and the erasure is asked again with the token.
  const erasures = backend.callsTo('DELETE', '/me')
  expect(erasures.map((call) => Boolean(call.header.Authorization))).toEqual([false, true])
  expect(shown(page)).toBe(false)

  const home = await openPage('home')
  expect(home.querySelector('.consent').querySelector('.dialog')).toBeTruthy()
})
