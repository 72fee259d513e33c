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

test('each empty list says what it is for, and offers a way to fill it', async () => {
  const page = await openPage('my')
  const empty = () => page.querySelector('.empty')
  expect(text(empty().querySelector('.heading'))).toBe('还没有推荐记录')
  expect(text(empty().querySelector('.action'))).toBe('去推荐')
  await fire(empty(), '.action')
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })

  await chooseTab(page, '收藏')
  expect(text(empty().querySelector('.heading'))).toBe('还没有收藏')
  expect(text(empty().querySelector('.action'))).toBe('去推荐')
  await chooseTab(page, '不感兴趣')
  expect(text(empty().querySelector('.action'))).toBe('去推荐')
  // The seen list fills fastest from the Douban history.
  await chooseTab(page, '看过')
  expect(text(empty().querySelector('.heading'))).toBe('还没有看过的电影')
  expect(text(empty().querySelector('.action'))).toBe('导入豆瓣记录')
  expect(page.querySelector('.toolbar')).toBeFalsy()
  await fire(empty(), '.action')
  expect(page.querySelector('.import-sheet').querySelector('.sheet').querySelector('.mask')).toBeTruthy()
})

test('coming back shows what other pages added', async () => {
  const page = await openPage('my')
  storage.history.add(storage.historyEntry(STAR, '周星驰'))
  await lifecycle(page, 'onShow')
  expect(rowTitles(page)).toEqual(['周星驰'])
})

describe('marks go through marks.js, so they sync', () => {
  const marks = require('../../src/utils/marks')

  test('removing and clearing leave tombstones for the other phones', async () => {
    seedLists()
    const page = await openPage('my')
    await chooseTab(page, '看过')
    await fire(page, '.toolbar__edit')
    await fire(page, '.row__remove')
    await chooseTab(page, '收藏')
    await fire(page, '.toolbar__edit')
    await fire(page, '.toolbar__clear')
    expect(marks.pending().map((mark) => [mark.title, mark.status, mark.deleted])).toEqual(
      expect.arrayContaining([
        ['盗梦空间', 'seen', true],
        ['星际穿越', 'favourite', true],
      ]),
    )
  })

  test('a film typed in is a mark too', async () => {
    const page = await openPage('my')
    await chooseTab(page, '看过')
    await fire(page, '.add-seen__input', 'input', { value: '霸王别姬' })
    await fire(page, '.add-seen__button')
    expect(marks.pending()).toEqual([expect.objectContaining({ douban_id: null, title: '霸王别姬', status: 'seen' })])
  })

  test('lists changed by a sync while the page shows are drawn again', async () => {
    const backend = require('../helpers/backend').createBackend()
    backend.requireSignIn()
    backend.marks.put({ douban_id: '1292052', title: '肖申克的救赎', status: 'seen', rating: 5, updated_at: 1 })
    const page = await openPage('my')
    await chooseTab(page, '看过')
    // The modules the page runs with (loading a page starts a fresh module registry).
    const sync = require('../../src/utils/sync')
    const session = require('../../src/utils/session')
    await session.start()
    await sync.now()
    await flush()
    expect(rowTitles(page)).toEqual(['肖申克的救赎'])
  })
})

describe('stars on the seen list', () => {
  test('each film shows its stars, or 打分; a tap opens the stars, and giving them saves and closes', async () => {
    seedLists()
    storage.seen.add(storage.seenEntry({ doubanId: '1889243', title: '星际穿越', year: 2014, rating: 4 }))
    const page = await openPage('my')
    await chooseTab(page, '看过')
    expect(text(page.querySelector('.toolbar__count'))).toBe('共 2 部，点一部打分')
    // Rows are plain views: their parts are found from the page.
    expect(all(page, '.row__title').map(text)).toEqual(['星际穿越 2014', '盗梦空间 2010'])
    expect(all(page, '.row__stars')).toHaveLength(1)
    expect(all(page, '.row__unrated').map(text)).toEqual(['打分'])

    all(page, '.seen-row')[1].dispatchEvent('tap')
    await flush()
    expect(text(page.querySelector('.rating-sheet__title'))).toBe('盗梦空间 2010')
    const stars = page.querySelector('.rating-sheet__stars')
    all(stars, '.star')[4].dispatchEvent('tap')
    await flush()
    expect(storage.seen.find('douban:3541415').rating).toBe(5)
    expect(wx.showToast).toHaveBeenCalledWith({ title: '已给《盗梦空间》5 星', icon: 'none' })
    expect(page.instance.data.rating).toBeNull()
    expect(all(page, '.row__stars')).toHaveLength(2)
  })

  test('no rating sheet while editing: a tap there is for 删除', async () => {
    seedLists()
    const page = await openPage('my')
    await chooseTab(page, '看过')
    await fire(page, '.toolbar__edit')
    await fire(page, '.seen-row')
    expect(page.instance.data.rating).toBeNull()
  })
})

describe('不感兴趣', () => {
  test('lists the films said no to, and one can be taken back', async () => {
    const marks = require('../../src/utils/marks')
    marks.toggleDisliked({ doubanId: '1291843', title: '电锯惊魂', year: 2004 })
    const page = await openPage('my')
    await chooseTab(page, '不感兴趣')
    expect(rowTitles(page)).toEqual(['电锯惊魂 2004'])
    await fire(page, '.toolbar__edit')
    expect(text(page.querySelector('.row__remove'))).toBe('移除')
    await fire(page, '.row__remove')
    expect(storage.disliked.all()).toEqual([])
    expect(text(page.querySelector('.empty'))).toContain('没有不感兴趣的电影')
  })
})

test('a long seen list is drawn a hundred at a time as the person scrolls', async () => {
  storage.seen.save(
    Array.from({ length: 250 }, (_, i) => ({ key: `douban:${i}`, doubanId: String(i), title: `片${i}`, at: 1000 - i })),
  )
  const page = await openPage('my')
  await chooseTab(page, '看过')
  expect(all(page, '.seen-row')).toHaveLength(100)
  expect(text(page.querySelector('.toolbar__count'))).toBe('共 250 部，点一部打分')
  expect(text(page.querySelector('.more-below'))).toBe('上滑显示更多')
  await lifecycle(page, 'onReachBottom')
  await lifecycle(page, 'onReachBottom')
  expect(all(page, '.seen-row')).toHaveLength(250)
  expect(page.querySelector('.more-below')).toBeFalsy()
})

describe('导入豆瓣记录', () => {
  const { createBackend, reply, offline } = require('../helpers/backend')
  const { chatFile } = require('../helpers/wx')
  const { wait } = require('../helpers/render')

  const entries = [
    { douban_id: '1292052', title: '肖申克的救赎', rating: 5, marked_at: 1719226814000, status: 'seen' },
    { douban_id: '3541415', title: '盗梦空间', rating: 4, marked_at: 1600000000000, status: 'seen' },
    { douban_id: '1292720', title: '阿甘正传', rating: null, marked_at: 1500000000000, status: 'wish' },
  ]

  async function openImport() {
    const page = await openPage('my')
    await fire(page, '.import-banner')
    return { page, sheet: page.querySelector('.import-sheet') }
  }

  test('from a chat file: the films join the seen list, and the sheet says how many were added', async () => {
    const backend = createBackend()
    seedLists()
    backend.onImportFile({ format: 'doumark_csv', entries, skipped: 0 })
    chatFile('db-movie.csv', 'id,title,url,star')
    const { page, sheet } = await openImport()
    await fire(sheet, '.choose-file')
    expect(text(sheet.querySelector('.status__headline'))).toBe('添加了 1 部看过的电影')
    expect(text(sheet.querySelector('.status__text'))).toBe(
      '其中 1 部带着你的评分，更新了 1 部的评分，1 部想看的没有导入',
    )
    // The seen tab shows them at once, with their stars.
    expect(page.instance.data.tab).toBe('seen')
    expect(rowTitles(page)).toEqual(['盗梦空间 2010', '肖申克的救赎'])
    expect(all(page, '.row__stars')).toHaveLength(2)
    await fire(sheet, '.done')
    expect(page.instance.data.importShown).toBe(false)
  })

  test('a file it cannot read: the server message, and the way back to try another', async () => {
    const backend = createBackend()
    const message = '这个表格不是豆伴导出的观影记录：没有“看过”“在看”“想看”工作表。'
    backend.onImportFile(reply(422, { code: 'unknown_format', message }))
    chatFile('账单.xlsx', Buffer.from('PK\u0003\u0004'))
    const { sheet } = await openImport()
    await fire(sheet, '.choose-file')
    expect(text(sheet.querySelector('.failure-message'))).toBe(message)
    expect(text(sheet.querySelector('.choose-file'))).toBe('重新选择文件')
    await fire(sheet, '.back')
    expect(sheet.querySelector('.user-field__input')).toBeTruthy()
  })

  test('choosing a file refused by the privacy guide: says why, and offers to choose again', async () => {
    const backend = createBackend()
    wx.chooseMessageFile.mockImplementationOnce(({ fail }) =>
      fail({ errMsg: 'chooseMessageFile:fail privacy permission is not authorized', errno: 104 }),
    )
    const { sheet } = await openImport()
    await fire(sheet, '.choose-file')
    expect(text(sheet.querySelector('.failure-message'))).toBe('需要同意《用户隐私保护指引》才能从聊天中选择文件')
    // Choosing again shows WeChat's privacy prompt again; agreed to, the file goes.
    backend.onImportFile({ format: 'doumark_csv', entries, skipped: 0 })
    chatFile('db-movie.csv', 'id,title,url,star')
    await fire(sheet, '.choose-file')
    expect(text(sheet.querySelector('.status__headline'))).toBe('添加了 2 部看过的电影')
  })

  test('picking nothing goes back to the choice, quietly', async () => {
    createBackend()
    const { sheet } = await openImport()
    await fire(sheet, '.choose-file')
    expect(sheet.querySelector('.failure-message')).toBeFalsy()
    expect(sheet.querySelector('.user-field__input')).toBeTruthy()
  })

  test('by Douban id: polled, showing how far it has read, then merged', async () => {
    const backend = createBackend()
    backend.onImportUser('imp-1')
    const running = { id: 'imp-1', status: 'running', entries: entries.slice(0, 1), skipped: 0, total: 618, error: null }
    backend.onImportPoll('imp-1', running, { ...running, status: 'done', entries })
    const { sheet } = await openImport()
    await fire(sheet, '.user-field__start')
    expect(text(sheet.querySelector('.user-problem'))).toBe('请填写豆瓣 ID 或个人主页链接')
    await fire(sheet, '.user-field__input', 'input', { value: 'https://www.douban.com/people/ahbei/' })
    await fire(sheet, '.user-field__start')
    expect(backend.calls[0].data).toEqual({ user: 'https://www.douban.com/people/ahbei/' })
    expect(text(sheet.querySelector('.working'))).toContain('正在从豆瓣读取… 已读 1 / 618 部')
    await wait(2000)
    expect(text(sheet.querySelector('.status__headline'))).toBe('添加了 2 部看过的电影')
    expect(storage.seen.all()).toHaveLength(2)
  })

  test('Douban refusing: its message, what was read kept, and the file import offered', async () => {
    const backend = createBackend()
    backend.onImportUser('imp-1')
    const error = {
      code: 'douban_refused',
      message: '豆瓣拒绝了读取这个用户的观影记录（需要登录或验证）。请在电脑上用豆伴或 doumark 等工具导出观影记录，再用“从文件导入”。',
    }
    backend.onImportPoll('imp-1', { id: 'imp-1', status: 'failed', entries: entries.slice(0, 1), skipped: 0, total: null, error })
    const { sheet } = await openImport()
    await fire(sheet, '.user-field__input', 'input', { value: 'ahbei' })
    await fire(sheet, '.user-field__start')
    expect(text(sheet.querySelector('.failure-message'))).toBe(`已先导入读到的 1 部。${error.message}`)
    expect(storage.seen.all().map((entry) => entry.title)).toEqual(['肖申克的救赎'])
    expect(text(sheet.querySelector('.choose-file'))).toBe('改用文件导入')
  })

  test.each([
    ['user_not_found', '豆瓣上没有找到这个用户，请检查豆瓣 ID 或个人主页链接。', false],
    ['no_public_history', '没有读到这个用户公开的看过记录（可能设为了仅自己可见）。', true],
    ['timeout', '从豆瓣读取超时了，请重试，或用导出的文件导入。', true],
  ])('an import that ends %s says so', async (code, message, fileInstead) => {
    const backend = createBackend()
    backend.onImportUser('imp-1')
    backend.onImportPoll('imp-1', { id: 'imp-1', status: 'failed', entries: [], skipped: 0, total: null, error: { code, message } })
    const { sheet } = await openImport()
    await fire(sheet, '.user-field__input', 'input', { value: 'ahbei' })
    await fire(sheet, '.user-field__start')
    expect(text(sheet.querySelector('.failure-message'))).toBe(message)
    expect(Boolean(sheet.querySelector('.choose-file'))).toBe(fileInstead)
  })

  test('no network while polling: said, and nothing merged', async () => {
    const backend = createBackend()
    backend.onImportUser('imp-1')
    backend.onImportPoll('imp-1', offline())
    const { sheet } = await openImport()
    await fire(sheet, '.user-field__input', 'input', { value: 'ahbei' })
    await fire(sheet, '.user-field__start')
    await wait(2000 * 4)
    expect(text(sheet.querySelector('.failure-message'))).toBe('网络连接不上，请检查网络后重试')
    expect(storage.seen.all()).toEqual([])
  })

  test('closed while an import by id runs, it goes on and lands in the list', async () => {
    const backend = createBackend()
    backend.onImportUser('imp-1')
    const running = { id: 'imp-1', status: 'running', entries: [], skipped: 0, total: 2, error: null }
    backend.onImportPoll('imp-1', running, { ...running, status: 'done', entries })
    const { page, sheet } = await openImport()
    await fire(sheet, '.user-field__input', 'input', { value: 'ahbei' })
    await fire(sheet, '.user-field__start')
    await fire(sheet.querySelector('.sheet'), '.close')
    expect(page.instance.data.importShown).toBe(false)
    await wait(2000)
    expect(storage.seen.all()).toHaveLength(2)
    expect(page.instance.data.tab).toBe('seen')
  })
})
