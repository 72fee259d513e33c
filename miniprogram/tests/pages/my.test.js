const { openPage, lifecycle, fire, flush, text, all } = require('../helpers/render')
const { queryOf, lastNavigation } = require('../helpers/wx')
const { douban, searchEntry } = require('../helpers/fixtures')
const storage = require('../../src/utils/storage')

const SCI_FI = { mode: 'tags', tags: ['科幻', '悬疑'], count: 8 }
const STAR = { mode: 'star', star: '周星驰', count: 5 }

function seedLists() {
  storage.history.add(storage.historyEntry(SCI_FI, '科幻、悬疑'))
  storage.history.add(storage.historyEntry(STAR, '周星驰'))
  storage.seen.add(storage.seenEntry({ doubanId: '3541415', title: '盗梦空间', year: 2010 }))
  storage.favourites.add(storage.favouriteEntry({ douban: douban('星际穿越'), requestId: 'req-1', rank: 2 }))
}

async function chooseTab(page, name) {
  all(page.querySelector('.tabs'), '.segment')
    .find((tab) => text(tab).startsWith(name))
    .dispatchEvent('tap')
  await flush()
}

const rowTitles = (page) => all(page, '.row__title').map(text)

test('the tabs count what each list holds', async () => {
  seedLists()
  const page = await openPage('my')
  expect(all(page.querySelector('.tabs'), '.segment').map(text)).toEqual(['历史 2', '看过 1', '收藏 1', '不感兴趣'])
})

describe('history', () => {
  test('lists requests newest first and re-runs one with a tap', async () => {
    seedLists()
    const page = await openPage('my')
    expect(rowTitles(page)).toEqual(['周星驰', '科幻、悬疑'])
    expect(all(page, '.row__badge').map(text)).toEqual(['电影明星', '兴趣标签'])

    all(page, '.history-row')[1].dispatchEvent('tap')
    await flush()
    expect(JSON.parse(decodeURIComponent(queryOf(lastNavigation()).q))).toEqual(SCI_FI)
  })

  test('an entry with a live request reopens those very results', async () => {
    storage.history.add(storage.historyEntry(SCI_FI, '科幻、悬疑', 'req-5'))
    const page = await openPage('my')
    expect(text(page.querySelector('.row__go'))).toBe('查看')
    all(page, '.history-row')[0].dispatchEvent('tap')
    await flush()
    expect(queryOf(lastNavigation())).toMatchObject({ id: 'req-5' })
  })

  test('编辑 lets one entry be deleted without re-running it', async () => {
    seedLists()
    const page = await openPage('my')
    await fire(page, '.toolbar__edit')
    expect(text(page.querySelector('.toolbar__edit'))).toBe('完成')
    await fire(page, '.row__remove')
    expect(wx.navigateTo).not.toHaveBeenCalled()
    expect(rowTitles(page)).toEqual(['科幻、悬疑'])
    expect(storage.history.all()).toHaveLength(1)
  })

  test('清空 asks first, then empties the list', async () => {
    seedLists()
    const page = await openPage('my')
    await fire(page, '.toolbar__edit')
    wx.showModal.mockImplementationOnce(({ success }) => success({ confirm: false, cancel: true }))
    await fire(page, '.toolbar__clear')
    expect(storage.history.all()).toHaveLength(2)

    await fire(page, '.toolbar__clear')
    expect(wx.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '清空历史？' }))
    expect(storage.history.all()).toEqual([])
    expect(text(page.querySelector('.empty'))).toContain('还没有推荐记录')
    expect(storage.seen.all()).toHaveLength(1) // other lists are untouched
  })
})

describe('seen', () => {
  test('lists the seen films and adds one typed in by hand', async () => {
    seedLists()
    const page = await openPage('my')
    await chooseTab(page, '看过')
    expect(rowTitles(page)).toEqual(['盗梦空间 2010'])

    await fire(page, '.add-seen__input', 'input', { value: ' 霸王别姬 ' })
    await fire(page, '.add-seen__button')
    expect(rowTitles(page)).toEqual(['霸王别姬', '盗梦空间 2010'])
    expect(storage.seen.all().map((entry) => entry.title)).toEqual(['霸王别姬', '盗梦空间'])
    expect(all(page.querySelector('.tabs'), '.segment').map(text)).toContain('看过 2')
  })

  test('a film can be taken off the seen list', async () => {
    seedLists()
    const page = await openPage('my')
    await chooseTab(page, '看过')
    await fire(page, '.toolbar__edit')
    await fire(page, '.row__remove')
    expect(storage.seen.all()).toEqual([])
    expect(text(page.querySelector('.empty'))).toContain('以后推荐会自动跳过它们')
  })
})

describe('favourites', () => {
  test('show poster, title and rating, and open the movie page', async () => {
    seedLists()
    const page = await openPage('my')
    await chooseTab(page, '收藏')
    expect(rowTitles(page)).toEqual(['星际穿越 2014'])
    expect(text(page.querySelector('.row__rating'))).toContain('9.4')
    expect(text(page.querySelector('.row__meta'))).toBe('剧情 / 科幻 / 冒险')
    expect(page.querySelector('.row__poster')).toBeTruthy()

    await fire(page, '.favourite-row')
    expect(lastNavigation()).toBe('/pages/movie/index?id=1889243&rid=req-1&rank=2')
  })

  test('one kept while partial says 信息补全中 instead of 暂无评分', async () => {
    storage.favourites.add(
      storage.favouriteEntry({ douban: searchEntry('盗梦空间'), partial: true, requestId: 'req-1', rank: 1 }),
    )
    const page = await openPage('my')
    await chooseTab(page, '收藏')
    expect(rowTitles(page)).toEqual(['盗梦空间 2010'])
    expect(text(page.querySelector('.row__tag'))).toBe('信息补全中')
    expect(page.querySelector('.row__rating')).toBeFalsy()
    expect(page.querySelector('.row__meta')).toBeFalsy()
    expect(text(page)).not.toContain('暂无评分')
  })

  test('can be removed', async () => {
    seedLists()
    const page = await openPage('my')
    await chooseTab(page, '收藏')
    await fire(page, '.toolbar__edit')
    await fire(page, '.row__remove')
    expect(storage.favourites.all()).toEqual([])
  })
})

test('each empty list says what it is for, and offers to go and get recommendations', async () => {
  const page = await openPage('my')
  const empty = () => page.querySelector('.empty')
  expect(text(empty().querySelector('.heading'))).toBe('还没有推荐记录')
  expect(text(empty().querySelector('.action'))).toBe('去推荐')
  await fire(empty(), '.action')
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })

  await chooseTab(page, '收藏')
  expect(text(empty().querySelector('.heading'))).toBe('还没有收藏')
  expect(text(empty().querySelector('.action'))).toBe('去推荐')
  await chooseTab(page, '看过')
  expect(text(empty().querySelector('.heading'))).toBe('还没有看过的电影')
  expect(text(empty().querySelector('.action'))).toBe('去推荐')
  expect(page.querySelector('.toolbar')).toBeFalsy()
})

test('coming back shows what other pages added', async () => {
  const page = await openPage('my')
  storage.history.add(storage.historyEntry(STAR, '周星驰'))
  await lifecycle(page, 'onShow')
  expect(rowTitles(page)).toEqual(['周星驰'])
})
