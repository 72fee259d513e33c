const { openPage, lifecycle, fire, text, all } = require('../helpers/render')
const { createBackend, reply, offline } = require('../helpers/backend')
const { queryOf } = require('../helpers/wx')
const { view, movie, partialMovie, douban, searchEntry } = require('../helpers/fixtures')
const { movieUrl } = require('../../src/utils/routes')
const storage = require('../../src/utils/storage')

const INCEPTION = { doubanId: '3541415', requestId: 'req-1', rank: 1 }

let backend
beforeEach(() => {
  backend = createBackend()
})

function openMovie(target = INCEPTION) {
  return openPage('movie', queryOf(movieUrl(target)))
}

function answerWithInception() {
  backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越')]))
}

const facts = (page) =>
  Object.fromEntries(
    all(page, '.fact__label')
      .map(text)
      .map((label, index) => [label, text(all(page, '.fact__value')[index])]),
  )

test('shows the whole Douban record', async () => {
  answerWithInception()
  const page = await openMovie()

  expect(text(page.querySelector('.hero__title'))).toBe('盗梦空间')
  expect(text(page.querySelector('.hero__original'))).toBe('Inception')
  expect(text(page.querySelector('.hero__subtitle'))).toBe('电影 · 2010 · 美国 / 英国 · 剧情 / 科幻 / 悬疑')
  expect(text(page.querySelector('.hero__rating'))).toContain('9.4')
  expect(text(page.querySelector('.reason__text'))).toBe('层层嵌套的梦境，烧脑又好看')
  expect(text(page.querySelector('.summary'))).toBe('道姆·柯布与同事阿瑟和纳什在一次针对日本能源大亨齐藤的盗梦行动中失败……')
  expect(facts(page)).toMatchObject({
    导演: '克里斯托弗·诺兰',
    主演: '莱昂纳多·迪卡普里奥 / 约瑟夫·高登-莱维特 / 艾利奥特·佩吉 / 汤姆·哈迪',
    '制片国家/地区': '美国 / 英国',
    上映日期: '2010-09-01(中国大陆) / 2010-07-16(美国)',
    片长: '148 分钟',
  })
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '盗梦空间' })
  expect(backend.calls[0].url).toMatch(/\/recommendations\/req-1$/)
})

test('copies the Douban link', async () => {
  answerWithInception()
  const page = await openMovie()
  await fire(page, '.copy-action')
  expect(wx.setClipboardData).toHaveBeenCalledWith({ data: 'https://movie.douban.com/subject/3541415/' })
})

test('shares to a friend with a link that opens this movie', async () => {
  answerWithInception()
  const page = await openMovie()
  expect(page.querySelector('.share-action')).toBeTruthy()
  expect(page.instance.onShareAppMessage()).toEqual({
    title: '推荐你看《盗梦空间》，豆瓣 9.4 分',
    path: '/pages/movie/index?id=3541415&rid=req-1&rank=1',
  })
})

test('看过 and 收藏 toggle the lists and the buttons', async () => {
  answerWithInception()
  const page = await openMovie()
  await fire(page, '.seen-action')
  await fire(page, '.favourite-action')
  expect(storage.seen.has('douban:3541415')).toBe(true)
  expect(storage.favourites.find('douban:3541415')).toMatchObject({ requestId: 'req-1', rank: 1 })
  expect(text(page.querySelector('.seen-action'))).toContain('已看过')
  expect(text(page.querySelector('.favourite-action'))).toContain('已收藏')

  await fire(page, '.favourite-action')
  expect(storage.favourites.all()).toEqual([])
  expect(text(page.querySelector('.favourite-action'))).toContain('收藏')
  expect(text(page.querySelector('.favourite-action'))).not.toContain('已收藏')
})

test('a favourite opens from its saved copy, without the network', async () => {
  storage.favourites.add(
    storage.favouriteEntry({ douban: douban('星际穿越'), reason: '硬核科幻', requestId: 'old', rank: 4 }),
  )
  const page = await openMovie({ doubanId: '1889243', requestId: 'old', rank: 4 })
  expect(backend.calls).toHaveLength(0)
  expect(text(page.querySelector('.hero__title'))).toBe('星际穿越')
  expect(text(page.querySelector('.reason__text'))).toBe('硬核科幻')
  expect(text(page.querySelector('.favourite-action'))).toContain('已收藏')
})

test('an expired recommendation says so', async () => {
  backend.onPoll('req-1', reply(404, { code: 'not_found', message: 'Unknown id' }))
  const page = await openMovie()
  expect(text(page.querySelector('.problem'))).toContain('这次推荐已过期或不存在，请重新推荐')
})

test('a link whose movie is not in the recommendation says so', async () => {
  answerWithInception()
  const page = await openMovie({ doubanId: '9999999', requestId: 'req-1', rank: 1 })
  expect(text(page.querySelector('.problem'))).toContain('没有找到这部电影的信息')
})

test('no network shows the offline state and 重试 loads the movie', async () => {
  backend.onPoll('req-1', offline(), view('req-1', 'done', [movie(1, '盗梦空间')]))
  const page = await openMovie()
  expect(text(page.querySelector('.problem'))).toContain('网络好像断开了')
  await fire(page.querySelector('.problem'), '.action')
  expect(page.querySelector('.problem')).toBeFalsy()
  expect(text(page.querySelector('.hero__title'))).toBe('盗梦空间')
})

test('coming back refreshes 看过 and 收藏 changed elsewhere', async () => {
  answerWithInception()
  const page = await openMovie()
  await lifecycle(page, 'onHide')
  storage.seen.add(storage.seenEntry({ doubanId: '3541415', title: '盗梦空间' }))
  await lifecycle(page, 'onShow')
  expect(text(page.querySelector('.seen-action'))).toContain('已看过')
})

describe('a partial record (the Douban search entry alone)', () => {
  const partialView = () => view('req-1', 'done', [partialMovie(1, '盗梦空间'), movie(2, '星际穿越')])
  const completeView = () => view('req-1', 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越')])

  async function showAgain(page) {
    await lifecycle(page, 'onHide')
    await lifecycle(page, 'onShow')
  }

  test('shows what there is and says the rest is on its way, without 暂无评分 or empty facts', async () => {
    backend.onPoll('req-1', partialView())
    const page = await openMovie()
    expect(text(page.querySelector('.hero__title'))).toBe('盗梦空间')
    expect(text(page.querySelector('.hero__original'))).toBe('Inception')
    expect(text(page.querySelector('.hero__subtitle'))).toBe('电影 · 2010')
    expect(text(page.querySelector('.partial-tag'))).toBe('信息补全中')
    expect(text(page.querySelector('.reason__text'))).toBe('层层嵌套的梦境，烧脑又好看')
    expect(page.querySelector('.hero__rating')).toBeFalsy()
    expect(page.querySelector('.summary')).toBeFalsy()
    expect(all(page, '.fact')).toHaveLength(0)
    expect(text(page.querySelector('.completing'))).toBe('评分、演职员和简介正在补全，稍后回来看看')
    expect(text(page)).not.toContain('暂无评分')
    expect(page.instance.onShareAppMessage().title).toBe('推荐你看《盗梦空间》')
  })

  test('is read again from its recommendation each time the page is shown, quietly, until complete', async () => {
    backend.onPoll('req-1', partialView(), offline(), partialView(), completeView())
    const page = await openMovie()
    expect(backend.pollCount('req-1')).toBe(1)

    await showAgain(page) // no network: keep what is shown
    expect(backend.pollCount('req-1')).toBe(2)
    expect(page.querySelector('.problem')).toBeFalsy()
    expect(text(page.querySelector('.partial-tag'))).toBe('信息补全中')

    await showAgain(page) // still partial
    expect(backend.pollCount('req-1')).toBe(3)
    expect(text(page.querySelector('.partial-tag'))).toBe('信息补全中')

    await showAgain(page) // completed by now
    expect(backend.pollCount('req-1')).toBe(4)
    expect(page.querySelector('.partial-tag')).toBeFalsy()
    expect(page.querySelector('.completing')).toBeFalsy()
    expect(text(page.querySelector('.hero__rating'))).toContain('9.4')
    expect(facts(page)).toMatchObject({ 导演: '克里斯托弗·诺兰', 片长: '148 分钟' })
    expect(text(page.querySelector('.summary'))).toContain('道姆·柯布')

    await showAgain(page)
    expect(backend.pollCount('req-1')).toBe(4)
  })

  test('a complete record is not read again when shown', async () => {
    answerWithInception()
    const page = await openMovie()
    await showAgain(page)
    expect(backend.pollCount('req-1')).toBe(1)
  })

  test('收藏 keeps it partial; opened later, it is completed and its saved copy updated in place', async () => {
    backend.onPoll('req-1', partialView())
    const page = await openMovie()
    await fire(page, '.favourite-action')
    expect(storage.favourites.find('douban:3541415')).toMatchObject({ partial: true, requestId: 'req-1', rank: 1 })
    storage.favourites.add(storage.favouriteEntry({ douban: douban('星际穿越'), requestId: 'req-0', rank: 2 }))

    backend.onPoll('req-1', completeView())
    const later = await openMovie()
    expect(backend.pollCount('req-1')).toBe(2)
    expect(later.querySelector('.partial-tag')).toBeFalsy()
    expect(text(later.querySelector('.hero__rating'))).toContain('9.4')
    expect(storage.favourites.keys()).toEqual(['douban:1889243', 'douban:3541415'])
    expect(storage.favourites.find('douban:3541415')).toMatchObject({ partial: false, douban: { rating: 9.4 } })
  })

  test('a favourite saved partial still opens from its copy when its recommendation is gone', async () => {
    storage.favourites.add(
      storage.favouriteEntry({ douban: searchEntry('盗梦空间'), partial: true, reason: '烧脑', requestId: 'req-1', rank: 1 }),
    )
    backend.onPoll('req-1', reply(404, { code: 'not_found', message: 'Unknown id' }))
    const page = await openMovie()
    expect(backend.pollCount('req-1')).toBe(1)
    expect(page.querySelector('.problem')).toBeFalsy()
    expect(text(page.querySelector('.hero__title'))).toBe('盗梦空间')
    expect(text(page.querySelector('.partial-tag'))).toBe('信息补全中')
    expect(storage.favourites.find('douban:3541415').partial).toBe(true)
  })
})
