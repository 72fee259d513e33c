const { openPage, lifecycle, fire, text, all, attr } = require('../helpers/render')
const { createBackend, reply, offline } = require('../helpers/backend')
const { queryOf } = require('../helpers/wx')
const { view, movie, partialMovie, douban, searchEntry } = require('../helpers/fixtures')
const { movieUrl } = require('../../src/utils/routes')
const storage = require('../../src/utils/storage')
const { AI_LABEL } = require('../../src/utils/ai-label')

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
  expect(text(page.querySelector('.reason__text'))).toBe(`${AI_LABEL}层层嵌套的梦境，烧脑又好看`)
  expect(text(page.querySelector('.summary'))).toBe(
    '道姆·柯布与同事阿瑟和纳什在一次针对日本能源大亨齐藤的盗梦行动中失败……',
  )
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
  expect(wx.setClipboardData).toHaveBeenCalledTimes(1)
  expect(wx.setClipboardData).toHaveBeenCalledWith(
    expect.objectContaining({ data: 'https://movie.douban.com/subject/3541415/' }),
  )
  expect(page.querySelector('.link-fallback')).toBeFalsy()
})

test('when copying is refused (the privacy guide), it says so and shows the link to select by hand', async () => {
  // What WeChat answers when the clipboard is not declared in 用户隐私保护指引, or the person declines it.
  wx.setClipboardData.mockImplementation(({ fail }) =>
    fail({ errMsg: 'setClipboardData:fail api scope is not declared in the privacy agreement', errno: 112 }),
  )
  answerWithInception()
  const page = await openMovie()
  await fire(page, '.copy-action')
  expect(wx.showToast).toHaveBeenCalledWith({ title: '没能复制，请长按链接复制', icon: 'none' })
  // Right under the actions (the first section), not at the foot of the page.
  expect(attr(all(page, '.section')[0], 'class')).toContain('link-fallback')
  expect(text(page.querySelector('.link-fallback__url'))).toBe('https://movie.douban.com/subject/3541415/')
})

test('icons are one family of line icons, not emoji beside glyphs', async () => {
  answerWithInception()
  const page = await openMovie()
  const icons = all(page, '.action__icon').map((icon) => attr(icon, 'src'))
  expect(icons).toEqual([
    '/assets/icons/eye.svg',
    '/assets/icons/star.svg',
    '/assets/icons/similar.svg',
    '/assets/icons/link.svg',
    '/assets/icons/share.svg',
  ])
  await fire(page, '.seen-action')
  await fire(page, '.favourite-action')
  expect(
    all(page, '.action__icon')
      .map((icon) => attr(icon, 'src'))
      .slice(0, 2),
  ).toEqual(['/assets/icons/check.svg', '/assets/icons/star-on.svg'])
  expect(text(page)).not.toMatch(/\p{Extended_Pictographic}/u)
})

test('the facts have rules between them, none under the section title', async () => {
  answerWithInception()
  const page = await openMovie()
  const classes = all(page, '.fact').map((fact) => attr(fact, 'class'))
  expect(classes[0]).not.toContain('fact--ruled')
  expect(classes.slice(1).every((names) => names.includes('fact--ruled'))).toBe(true)
})

test('shares to a friend and to Moments with a link that opens this movie', async () => {
  answerWithInception()
  const page = await openMovie()
  expect(page.querySelector('.share-action')).toBeTruthy()
  expect(wx.showShareMenu).toHaveBeenCalledWith({ menus: ['shareAppMessage', 'shareTimeline'] })
  // The title holds the model's reason: its label comes with it, before it (GB 45438-2025).
  const title = '推荐你看《盗梦空间》，豆瓣 9.4 分｜AI生成：层层嵌套的梦境，烧脑又好看'
  expect(page.instance.onShareAppMessage()).toEqual({ title, path: '/pages/movie/index?id=3541415&rid=req-1&rank=1' })
  expect(page.instance.onShareTimeline()).toEqual({ title, query: 'id=3541415' })
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
  expect(text(page.querySelector('.reason__text'))).toBe(`${AI_LABEL}硬核科幻`)
  expect(text(page.querySelector('.favourite-action'))).toContain('已收藏')
})

/** A part of the problem state (its heading, message, action). */
const stateOf = (page, selector) => page.querySelector('.problem').querySelector(selector)

describe('by its Douban id alone', () => {
  const card = (title, partial = false) => ({
    douban: partial ? searchEntry(title) : douban(title),
    source: 'cache',
    partial,
  })

  test('a shared link opens with GET /movies/{id}, without any recommendation', async () => {
    backend.onMovie('1889243', card('星际穿越'))
    const page = await openMovie({ doubanId: '1889243' })
    expect(backend.calls.map((call) => call.url)).toEqual([expect.stringMatching(/\/movies\/1889243$/)])
    expect(text(page.querySelector('.hero__title'))).toBe('星际穿越')
    expect(page.querySelector('.reason')).toBeFalsy()
    expect(page.instance.onShareAppMessage().path).toBe('/pages/movie/index?id=1889243')
  })

  test('a link whose recommendation has expired still opens the movie by its id', async () => {
    backend.onPoll('req-1', reply(404, { code: 'not_found', message: 'Unknown id' }))
    backend.onMovie('3541415', card('盗梦空间'))
    const page = await openMovie()
    expect(page.querySelector('.problem')).toBeFalsy()
    expect(text(page.querySelector('.hero__title'))).toBe('盗梦空间')
    expect(backend.movieCount('3541415')).toBe(1)
  })

  test('a link whose rank holds another film opens the film the link names', async () => {
    answerWithInception()
    backend.onMovie('3075287', card('源代码'))
    const page = await openMovie({ doubanId: '3075287', requestId: 'req-1', rank: 1 })
    expect(text(page.querySelector('.hero__title'))).toBe('源代码')
  })

  test('an id Douban does not know says so and offers the home page', async () => {
    const page = await openMovie({ doubanId: '999999999' })
    expect(text(stateOf(page, '.heading'))).toBe('豆瓣上没有找到这部电影')
    expect(text(stateOf(page, '.action'))).toBe('去首页推荐')
    await fire(page.querySelector('.problem'), '.action')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })

  test('a link with no usable id asks nothing', async () => {
    const page = await openPage('movie', { id: 'abc' })
    expect(backend.calls).toEqual([])
    expect(text(stateOf(page, '.heading'))).toBe('豆瓣上没有找到这部电影')
  })

  test('Douban unreachable for now: says so, and 重试 reads it once Douban answers', async () => {
    const unavailable = reply(
      503,
      { code: 'douban_unavailable', message: 'Douban is blocking' },
      { 'Retry-After': '30' },
    )
    backend.onMovie('1889243', unavailable, card('星际穿越'))
    const page = await openMovie({ doubanId: '1889243' })
    expect(text(stateOf(page, '.heading'))).toBe('豆瓣暂时连不上')
    expect(text(stateOf(page, '.message'))).toBe('30 秒后再试试') // the title already says what happened
    await fire(page.querySelector('.problem'), '.action')
    expect(text(page.querySelector('.hero__title'))).toBe('星际穿越')
  })

  test('a partial card is read again by its id each time the page is shown, until complete', async () => {
    backend.onMovie('1889243', card('星际穿越', true), card('星际穿越'))
    const page = await openMovie({ doubanId: '1889243' })
    expect(text(page.querySelector('.partial-tag'))).toBe('信息补全中')
    await lifecycle(page, 'onHide')
    await lifecycle(page, 'onShow')
    expect(backend.movieCount('1889243')).toBe(2)
    expect(page.querySelector('.partial-tag')).toBeFalsy()
    expect(text(page.querySelector('.hero__rating'))).toContain('9.4')
  })
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
    expect(text(page.querySelector('.reason__text'))).toBe(`${AI_LABEL}层层嵌套的梦境，烧脑又好看`)
    expect(page.querySelector('.hero__rating')).toBeFalsy()
    expect(page.querySelector('.summary')).toBeFalsy()
    expect(all(page, '.fact')).toHaveLength(0)
    expect(text(page.querySelector('.completing'))).toBe('评分、演职员和简介正在补全，稍后回来看看')
    expect(text(page)).not.toContain('暂无评分')
    expect(page.instance.onShareAppMessage().title).toBe('推荐你看《盗梦空间》｜AI生成：层层嵌套的梦境，烧脑又好看')
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
      storage.favouriteEntry({
        douban: searchEntry('盗梦空间'),
        partial: true,
        reason: '烧脑',
        requestId: 'req-1',
        rank: 1,
      }),
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

describe('the person own stars', () => {
  const marks = require('../../src/utils/marks')
  const lit = (page) => all(page.querySelector('.my-rating__stars'), '.star--on').length

  test('a film not seen asks for stars; giving some marks it seen, with them', async () => {
    answerWithInception()
    const page = await openMovie()
    expect(text(page.querySelector('.my-rating__label'))).toBe('看过了？打个分')
    all(page.querySelector('.my-rating__stars'), '.star')[3].dispatchEvent('tap')
    await lifecycle(page, 'onShow')
    expect(storage.seen.find('douban:3541415')).toMatchObject({ title: '盗梦空间', year: 2010, rating: 4 })
    expect(text(page.querySelector('.my-rating__label'))).toBe('我的评分')
    expect(text(page.querySelector('.seen-action'))).toBe('已看过')
    expect(lit(page)).toBe(4)
    expect(marks.pending()).toEqual([expect.objectContaining({ douban_id: '3541415', status: 'seen', rating: 4 })])
  })

  test('stars given elsewhere show when the page opens', async () => {
    marks.rate({ doubanId: '3541415', title: '盗梦空间', year: 2010 }, 2)
    answerWithInception()
    const page = await openMovie()
    expect(lit(page)).toBe(2)
    expect(text(page.querySelector('.my-rating__stars').querySelector('.word'))).toBe('较差')
  })
})

test('更多类似 opens films like this one', async () => {
  answerWithInception()
  const page = await openMovie()
  await fire(page, '.more-like-action')
  const { lastNavigation } = require('../helpers/wx')
  const query = JSON.parse(decodeURIComponent(queryOf(lastNavigation()).q))
  expect(query).toEqual({ mode: 'theme', theme: '像《盗梦空间》那样的电影', like: '3541415', count: 8 })
})

test('a favourite synced from another phone has no record here: it is read by its Douban id', async () => {
  const marks = require('../../src/utils/marks')
  marks.applyRemote([
    { douban_id: '3541415', title: '盗梦空间', status: 'favourite', rating: null, updated_at: Date.now() },
  ])
  backend.onMovie('3541415', { douban: douban('盗梦空间'), source: 'cache', partial: false })
  const page = await openMovie({ doubanId: '3541415' })
  expect(text(page.querySelector('.hero__title'))).toBe('盗梦空间')
  expect(backend.movieCount('3541415')).toBe(1)
  expect(text(page.querySelector('.favourite-action'))).toBe('已收藏')
  // Kept with its record now: it opens without the network next time.
  expect(storage.favourites.find('douban:3541415')).toMatchObject({ douban: { id: '3541415' }, year: 2010 })
  await openMovie({ doubanId: '3541415' })
  expect(backend.movieCount('3541415')).toBe(1)
})
