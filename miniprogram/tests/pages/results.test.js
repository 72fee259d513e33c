const { openPage, lifecycle, fire, wait, text, all, attr } = require('../helpers/render')
const { createBackend, reply, offline } = require('../helpers/backend')
const { queryOf, lastNavigation } = require('../helpers/wx')
const { view, movie, partialMovie, douban, fillingIn } = require('../helpers/fixtures')
const { resultsUrl } = require('../../src/utils/routes')
const storage = require('../../src/utils/storage')
const { COMPLETION } = require('../../src/utils/api')

const QUERY = { mode: 'tags', tags: ['科幻', '悬疑'], count: 3 }

let backend
beforeEach(() => {
  backend = createBackend()
})

function openResults(query = QUERY) {
  return openPage('results', queryOf(resultsUrl(query)))
}

/** POST /recommendations refusing a `previous` request that no longer exists (requests expire after 30 days). */
const expiredPrevious = () =>
  reply(422, { code: 'invalid_request', details: [{ field: 'previous', message: 'no such request' }] })

const cards = (page) => all(page, '.card')
const titles = (page) => cards(page).map((card) => text(card.querySelector('.title__text')))
const progress = (page) => text(page.querySelector('.header__progress'))
const problem = (page) => page.querySelector('.problem')

/** Opens the results of QUERY and lets request `req-1` fill in completely. */
async function openFilledResults() {
  backend.onCreate('req-1')
  backend.onPoll('req-1', ...fillingIn('req-1'))
  const page = await openResults()
  await wait(500 + 750 + 1125)
  return page
}

describe('filling in', () => {
  test('shows skeletons at once, then fills each card as Douban finds it, dropping not_found ones', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', ...fillingIn('req-1'))
    const page = await openResults()

    expect(text(page.querySelector('.header__label'))).toBe('科幻、悬疑')
    expect(text(page.querySelector('.header__mode'))).toBe('兴趣标签')
    expect(all(page, '.skeleton')).toHaveLength(3)
    expect(progress(page)).toBe('正在思考推荐什么…')

    await wait(500)
    expect(all(page, '.skeleton')).toHaveLength(0)
    expect(titles(page)).toEqual(['盗梦空间', '星际穿越', '不存在的电影'])
    expect(progress(page)).toBe('正在豆瓣查找 · 已找到 0/3')

    await wait(750)
    expect(progress(page)).toBe('正在豆瓣查找 · 已找到 1/3')
    expect(text(cards(page)[0].querySelector('.rating'))).toContain('9.4')
    expect(text(cards(page)[1])).toContain('正在豆瓣查找…')

    await wait(1125)
    expect(titles(page)).toEqual(['盗梦空间', '星际穿越'])
    expect(progress(page)).toBe('为你找到 2 部')
    expect(problem(page)).toBeFalsy()

    await wait(30000)
    expect(backend.pollCount('req-1')).toBe(4)
  })

  test('asks for the query with the seen list as exclude (Douban ids where known), and records it in the history', async () => {
    storage.seen.add(storage.seenEntry({ title: '霸王别姬' }))
    storage.seen.add(storage.seenEntry({ doubanId: '1292052', title: '肖申克的救赎', year: 1994 }))
    await openFilledResults()
    expect(backend.posted()).toEqual([{ ...QUERY, exclude: ['1292052', '霸王别姬'] }])
    expect(storage.history.all()).toEqual([expect.objectContaining({ label: '科幻、悬疑', query: QUERY })])
  })

  test('stops polling while hidden and resumes when shown again', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', ...fillingIn('req-1'))
    const page = await openResults()
    await wait(500)
    expect(backend.pollCount('req-1')).toBe(2)

    await lifecycle(page, 'onHide')
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(2)

    await lifecycle(page, 'onShow')
    expect(backend.pollCount('req-1')).toBe(3)
    expect(progress(page)).toBe('正在豆瓣查找 · 已找到 1/3')
    await wait(500)
    expect(progress(page)).toBe('为你找到 2 部')
  })

  test('leaving the page stops polling for good', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'running'))
    const page = await openResults()
    await lifecycle(page, 'onUnload')
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(1)
  })

  test('pull down to refresh polls again at once', async () => {
    backend.onCreate('req-1')
    backend.onPoll(
      'req-1',
      view('req-1', 'running', [movie(1, '盗梦空间', 'pending')]),
      view('req-1', 'done', [movie(1, '盗梦空间')]),
    )
    const page = await openResults()
    await lifecycle(page, 'onPullDownRefresh')
    expect(wx.stopPullDownRefresh).toHaveBeenCalled()
    expect(backend.pollCount('req-1')).toBe(2)
    expect(progress(page)).toBe('为你找到 1 部')
  })
})

describe('cards', () => {
  test('看过 adds the film to the seen list and marks the card', async () => {
    const page = await openFilledResults()
    await fire(cards(page)[0], '.seen-action')
    expect(storage.seen.all()).toEqual([
      expect.objectContaining({ doubanId: '3541415', title: '盗梦空间', year: 2010 }),
    ])
    expect(text(cards(page)[0].querySelector('.seen-action'))).toBe('已看过')
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已标记看过，以后不再推荐' }))

    await fire(cards(page)[0], '.seen-action')
    expect(storage.seen.all()).toEqual([])
    expect(text(cards(page)[0].querySelector('.seen-action'))).toBe('看过')
  })

  test('收藏 keeps the whole Douban record with the request it came from', async () => {
    const page = await openFilledResults()
    await fire(cards(page)[1], '.favourite-action')
    const [favourite] = storage.favourites.all()
    expect(favourite).toMatchObject({
      doubanId: '1889243',
      requestId: 'req-1',
      rank: 2,
      reason: '硬核科幻与父女情的结合',
    })
    expect(favourite.douban.summary).toBe('近未来的地球黄沙遍野……')
    expect(text(cards(page)[1].querySelector('.favourite-action'))).toBe('已收藏')
  })

  test('tapping a card opens its movie page', async () => {
    const page = await openFilledResults()
    await fire(cards(page)[1], '.main')
    expect(lastNavigation()).toBe('/pages/movie/index?id=1889243&rid=req-1&rank=2')
  })

  test('changes made on the movie page show when coming back', async () => {
    const page = await openFilledResults()
    await lifecycle(page, 'onHide')
    storage.favourites.add(storage.favouriteEntry({ douban: douban('盗梦空间') }))
    await lifecycle(page, 'onShow')
    expect(text(cards(page)[0].querySelector('.favourite-action'))).toBe('已收藏')
  })
})

describe('partial cards', () => {
  const withPartial = (status = 'done') => view('req-1', status, [partialMovie(1, '盗梦空间'), movie(2, '星际穿越')])
  const complete = () => view('req-1', 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越')])
  const tag = (page) => cards(page)[0].querySelector('.partial-tag')

  test('once done, a page still showing partial cards polls every 15 s until they are complete', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', withPartial(), withPartial(), complete())
    const page = await openResults()
    expect(backend.pollCount('req-1')).toBe(1)
    expect(text(tag(page))).toBe('信息补全中')
    expect(cards(page)[0].querySelector('.rating')).toBeFalsy()
    expect(progress(page)).toBe('为你找到 2 部')

    await wait(COMPLETION.delayMs - 1)
    expect(backend.pollCount('req-1')).toBe(1)
    await wait(1)
    expect(backend.pollCount('req-1')).toBe(2)
    expect(text(tag(page))).toBe('信息补全中')

    await wait(COMPLETION.delayMs)
    expect(backend.pollCount('req-1')).toBe(3)
    expect(tag(page)).toBeFalsy()
    expect(text(cards(page)[0].querySelector('.rating'))).toContain('9.4')
    expect(text(cards(page)[0].querySelector('.byline'))).toBe('剧情 / 科幻 / 悬疑 · 克里斯托弗·诺兰')

    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(3)
  })

  test('while the request runs, partial cards change nothing: the usual polls, none after done', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', withPartial('running'), complete())
    const page = await openResults()
    await wait(500)
    expect(backend.pollCount('req-1')).toBe(2)
    expect(tag(page)).toBeFalsy()
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(2)
  })

  test('gives up after its slow polls (6 minutes), and looks again when the page is shown again', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', withPartial())
    const page = await openResults()
    await wait(COMPLETION.maxPolls * COMPLETION.delayMs)
    expect(backend.pollCount('req-1')).toBe(1 + COMPLETION.maxPolls)
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(1 + COMPLETION.maxPolls)

    await lifecycle(page, 'onHide')
    await lifecycle(page, 'onShow')
    expect(backend.pollCount('req-1')).toBe(2 + COMPLETION.maxPolls)
    await wait(COMPLETION.delayMs)
    expect(backend.pollCount('req-1')).toBe(3 + COMPLETION.maxPolls)
    expect(text(tag(page))).toBe('信息补全中')
  })

  test('stops while hidden and resumes at once when shown', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', withPartial())
    const page = await openResults()
    await wait(COMPLETION.delayMs)
    expect(backend.pollCount('req-1')).toBe(2)

    await lifecycle(page, 'onHide')
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(2)

    backend.onPoll('req-1', complete())
    await lifecycle(page, 'onShow')
    expect(backend.pollCount('req-1')).toBe(3)
    expect(tag(page)).toBeFalsy()
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(3)
  })

  test('a slow poll that fails is not an error: the cards stay and the next poll completes them', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', withPartial(), offline(), reply(503, { code: 'internal_error' }), complete())
    const page = await openResults()
    await wait(2 * COMPLETION.delayMs)
    expect(backend.pollCount('req-1')).toBe(3)
    expect(problem(page)).toBeFalsy()
    expect(titles(page)).toEqual(['盗梦空间', '星际穿越'])
    expect(text(tag(page))).toBe('信息补全中')

    await wait(COMPLETION.delayMs)
    expect(tag(page)).toBeFalsy()
    expect(problem(page)).toBeFalsy()
  })

  test('收藏 on a partial card keeps it as partial', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', withPartial())
    const page = await openResults()
    await fire(cards(page)[0], '.favourite-action')
    expect(storage.favourites.find('douban:3541415')).toMatchObject({ partial: true, requestId: 'req-1', rank: 1 })
  })
})

describe('换一批', () => {
  test('asks again excluding what was shown and what was seen, naming the previous request', async () => {
    storage.seen.add(storage.seenEntry({ title: '霸王别姬' }))
    const page = await openFilledResults()
    await fire(cards(page)[0], '.seen-action')

    backend.onCreate('req-2')
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    await fire(page, '.more')

    expect(backend.posted()[1]).toEqual({
      ...QUERY,
      exclude: ['不存在的电影', '1889243', '3541415', '霸王别姬'],
      previous: 'req-1',
    })
    expect(titles(page)).toEqual(['源代码'])
    expect(progress(page)).toBe('为你找到 1 部')
    expect(wx.pageScrollTo).toHaveBeenCalled()
  })

  test('a second 换一批 still excludes the first batch and names the latest request', async () => {
    const page = await openFilledResults()
    backend.onCreate('req-2', 'req-3')
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    backend.onPoll('req-3', view('req-3', 'done', []))
    await fire(page, '.more')
    await fire(page, '.more')
    expect(backend.posted()[2]).toEqual({
      ...QUERY,
      exclude: ['3075287', '不存在的电影', '1889243', '3541415'],
      previous: 'req-2',
    })
  })

  test('a previous request that has expired is left out: asks again at once without it', async () => {
    const page = await openFilledResults()
    backend.onCreate(expiredPrevious(), 'req-2', 'req-3')
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    backend.onPoll('req-3', view('req-3', 'done', []))
    await fire(page, '.more')

    const exclude = ['不存在的电影', '1889243', '3541415']
    expect(backend.posted().slice(1)).toEqual([
      { ...QUERY, exclude, previous: 'req-1' },
      { ...QUERY, exclude },
    ])
    expect(problem(page)).toBeFalsy()
    expect(titles(page)).toEqual(['源代码'])

    await fire(page, '.more')
    expect(backend.posted()[3]).toMatchObject({ previous: 'req-2' })
  })

  test('leaves `previous` out only once, and not for other refusals', async () => {
    const page = await openFilledResults()
    backend.onCreate(expiredPrevious(), expiredPrevious())
    await fire(page, '.more')
    expect(backend.posted()).toHaveLength(3)
    expect(backend.posted()[2]).not.toHaveProperty('previous')
    expect(text(problem(page).querySelector('.message'))).toBe('上一批推荐不符合要求，请修改后再试')
    // Asking the same again cannot help: the one action takes the person home to change the query.
    expect(text(problem(page).querySelector('.action'))).toBe('去首页推荐')
    expect(page.querySelector('.more')).toBeFalsy()
    await fire(problem(page), '.action')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
    expect(backend.posted()).toHaveLength(3)

    // Pull-down asks again, without naming the expired request again.
    backend.onCreate('req-2')
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    await lifecycle(page, 'onPullDownRefresh')
    expect(backend.posted()).toHaveLength(4)
    expect(backend.posted()[3]).not.toHaveProperty('previous')
    expect(titles(page)).toEqual(['源代码'])

    const refused = reply(422, { code: 'invalid_request', details: [{ field: 'exclude.3', message: 'too long' }] })
    backend.onCreate(refused)
    await fire(page, '.more')
    expect(backend.posted()).toHaveLength(5)
    expect(backend.posted()[4]).toMatchObject({ previous: 'req-2' })
    expect(text(problem(page).querySelector('.message'))).toBe('看过列表不符合要求，请修改后再试')
  })

  test('clears the old cards and shows skeletons until the new batch has titles', async () => {
    const page = await openFilledResults()
    backend.onCreate('req-2')
    backend.onPoll('req-2', view('req-2', 'pending'))
    await fire(page, '.more')
    expect(backend.pollCount('req-2')).toBe(1)
    expect(all(page, '.skeleton')).toHaveLength(3)
    expect(cards(page)).toHaveLength(0)
    expect(progress(page)).toBe('正在思考推荐什么…')
  })
})

describe('friendly states', () => {
  test('a failed recommendation explains itself in words for people, and offers to ask again', async () => {
    backend.onCreate('req-1', 'req-2')
    const error = { code: 'llm_unavailable', message: '推荐模型服务出错（HTTP 503），请稍后再试。' }
    backend.onPoll('req-1', view('req-1', 'failed', [], { error }))
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '盗梦空间')]))
    const page = await openResults()

    expect(text(problem(page).querySelector('.heading'))).toBe('推荐没能完成')
    expect(text(problem(page).querySelector('.message'))).toBe('推荐服务暂时忙不过来，稍等一会儿再推荐一次')
    expect(text(problem(page).querySelector('.action'))).toBe('重新推荐')
    expect(page.querySelector('.more')).toBeFalsy() // one action: not 换一批 beside it
    await fire(problem(page), '.action')
    expect(backend.posted()).toHaveLength(2)
    expect(problem(page)).toBeFalsy()
    expect(titles(page)).toEqual(['盗梦空间'])
  })

  test('no network when asking shows the offline state, and 重试 works once it is back', async () => {
    backend.onCreate(offline(), 'req-1')
    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间')]))
    const page = await openResults()

    expect(text(problem(page).querySelector('.heading'))).toBe('网络好像断开了')
    expect(text(problem(page).querySelector('.message'))).toBe('网络连接不上，请检查网络后重试')
    expect(all(page, '.skeleton')).toHaveLength(0)
    await fire(problem(page), '.action')
    expect(problem(page)).toBeFalsy()
    expect(titles(page)).toEqual(['盗梦空间'])
  })

  test('losing the network while polling keeps the cards and offers 重试', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'running', [movie(1, '盗梦空间')]), offline())
    const page = await openResults()
    await wait(500 + 750 + 1125 + 1687.5)
    expect(backend.pollCount('req-1')).toBe(5)
    expect(text(problem(page).querySelector('.heading'))).toBe('网络好像断开了')
    expect(titles(page)).toEqual(['盗梦空间'])

    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越')]))
    await fire(problem(page), '.action')
    expect(backend.posted()).toHaveLength(1)
    expect(problem(page)).toBeFalsy()
    expect(titles(page)).toEqual(['盗梦空间', '星际穿越'])
  })

  test('being rate limited says how long to wait', async () => {
    backend.onCreate(reply(429, { code: 'rate_limited', message: 'Too many requests' }, { 'Retry-After': '30' }))
    const page = await openResults()
    expect(text(problem(page).querySelector('.heading'))).toBe('请求太频繁了')
    expect(text(problem(page).querySelector('.message'))).toBe('歇一会儿，30 秒后再试')
    expect(text(problem(page).querySelector('.action'))).toBe('重试')
  })

  test('an empty result says so and offers 换一批', async () => {
    backend.onCreate('req-1', 'req-2')
    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '不存在的电影', 'not_found')]))
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    const page = await openResults()

    expect(cards(page)).toHaveLength(0)
    expect(text(problem(page).querySelector('.heading'))).toBe('没有找到合适的电影')
    expect(text(problem(page).querySelector('.action'))).toBe('换一批')
    expect(page.querySelector('.filter-button')).toBeFalsy() // one action: no filters to loosen
    await fire(problem(page), '.action')
    expect(backend.posted()[1]).toMatchObject({ previous: 'req-1', exclude: [] })
    expect(titles(page)).toEqual(['源代码'])
  })

  test('a broken link asks nothing and says what to do', async () => {
    const page = await openPage('results', { q: '%7Bnot-json' })
    expect(backend.calls).toHaveLength(0)
    expect(text(problem(page).querySelector('.heading'))).toBe('没能读懂这个链接')
    expect(page.querySelector('.more')).toBeFalsy()
    await fire(problem(page), '.action')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })
})

describe('one clear action per state', () => {
  const bar = (page) => page.querySelector('.more')

  test('no 换一批 while the answer comes in; 换一批 once it is done', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', ...fillingIn('req-1'))
    const page = await openResults()
    expect(bar(page)).toBeFalsy() // thinking
    await wait(500 + 750)
    expect(cards(page)).toHaveLength(3)
    expect(bar(page)).toBeFalsy() // filling
    expect(problem(page)).toBeFalsy()
    await wait(1125)
    expect(text(bar(page))).toBe('换一批') // done
  })

  test.each([
    ['failed', () => view('req-1', 'failed', [], { error: { code: 'llm_error', message: 'x' } }), '重新推荐'],
    ['timed out', () => view('req-1', 'failed', [], { error: { code: 'timeout', message: 'x' } }), '重新推荐'],
    ['out of service', () => view('req-1', 'failed', [], { error: { code: 'llm_auth', message: 'x' } }), '去首页推荐'],
    ['like not found', () => view('req-1', 'failed', [], { error: { code: 'like_not_found', message: 'x' } }), '去首页推荐'],
    ['like unreadable', () => view('req-1', 'failed', [], { error: { code: 'like_unavailable', message: 'x' } }), '重新推荐'],
    ['empty', () => view('req-1', 'done', [movie(1, '不存在的电影', 'not_found')]), '换一批'],
    ['offline', () => offline(), '重试'],
  ])('%s: the state offers its own action and nothing beside it', async (_, answer, action) => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', answer())
    const page = await openResults()
    await wait(500 + 750 + 1125 + 1687.5) // past the quiet retries of an offline poll
    expect(text(problem(page).querySelector('.action'))).toBe(action)
    expect(bar(page)).toBeFalsy()
    expect(text(page)).not.toMatch(/联系管理员|HTTP \d|Traceback/)
  })
})

test('更多类似 on a film Douban no longer has says the film was not found, not to try again later', async () => {
  backend.onCreate('req-1')
  const error = { code: 'like_not_found', message: '豆瓣上没有找到这部电影（条目可能已被删除）' }
  backend.onPoll('req-1', view('req-1', 'failed', [], { error }))
  const page = await openResults()
  await wait(500)
  expect(text(problem(page).querySelector('.heading'))).toBe('豆瓣上找不到这部电影')
  expect(text(problem(page))).not.toMatch(/稍后再试|暂时/)
})

describe('reopening by request id', () => {
  const ID_ONLY = { id: 'req-9' }

  test('a shared page polls that request only: no new request, and the query comes from the request', async () => {
    backend.onPoll(
      'req-9',
      view('req-9', 'running', [movie(1, '盗梦空间')]),
      view('req-9', 'done', [movie(1, '盗梦空间')]),
    )
    const page = await openPage('results', ID_ONLY)
    expect(backend.posted()).toEqual([])
    expect(backend.pollCount('req-9')).toBe(1)
    expect(text(page.querySelector('.header__label'))).toBe('科幻、悬疑')
    expect(text(page.querySelector('.header__mode'))).toBe('兴趣标签')
    await wait(500)
    expect(titles(page)).toEqual(['盗梦空间'])
    expect(backend.posted()).toEqual([])
    // It joins the opener's history, to be reopened the same way.
    expect(storage.history.all()).toEqual([
      expect.objectContaining({ label: '科幻、悬疑', requestId: 'req-9', query: QUERY }),
    ])
  })

  test('换一批 from a shared page starts the opener own request, for the same query', async () => {
    backend.onPoll('req-9', view('req-9', 'done', [movie(1, '盗梦空间')]))
    backend.onCreate('req-10')
    backend.onPoll('req-10', view('req-10', 'done', [movie(1, '源代码')]))
    const page = await openPage('results', ID_ONLY)
    await fire(page, '.more')
    expect(backend.posted()).toEqual([{ ...QUERY, exclude: ['3541415'], previous: 'req-9' }])
    expect(titles(page)).toEqual(['源代码'])
    expect(storage.history.all()[0]).toMatchObject({ requestId: 'req-10' })
  })

  test('an expired request is asked for again when the link holds its query (a history entry)', async () => {
    backend.onCreate('req-2')
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    const page = await openPage('results', queryOf(resultsUrl(QUERY, 'req-old')))
    expect(backend.pollCount('req-old')).toBe(1)
    expect(backend.posted()).toEqual([{ ...QUERY, exclude: [] }])
    expect(titles(page)).toEqual(['源代码'])
    expect(problem(page)).toBeFalsy()
  })

  test('an expired shared request says so and offers the home page, since its query is unknown', async () => {
    const page = await openPage('results', ID_ONLY)
    expect(text(problem(page).querySelector('.heading'))).toBe('这次推荐已过期')
    expect(text(problem(page).querySelector('.action'))).toBe('去首页推荐')
    expect(backend.posted()).toEqual([])
    await fire(problem(page), '.action')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })

  test('a link with a malformed id polls nothing', async () => {
    const page = await openPage('results', { id: '../../x' })
    expect(backend.calls).toEqual([])
    expect(text(problem(page).querySelector('.heading'))).toBe('没能读懂这个链接')
  })
})

describe('sharing', () => {
  const SHARE = { title: '科幻、悬疑：为你挑了 2 部电影', path: '/pages/results/index?id=req-1' }

  test('to a chat and to Moments, by the request id alone', async () => {
    const page = await openFilledResults()
    expect(wx.showShareMenu).toHaveBeenCalledWith({ menus: ['shareAppMessage', 'shareTimeline'] })
    expect(page.instance.onShareAppMessage()).toEqual({ ...SHARE, promise: expect.any(Promise) })
    expect(page.instance.onShareTimeline()).toEqual({ title: '科幻、悬疑：为你挑了 2 部电影', query: 'id=req-1' })
  })

  test('a share opens the request to others first: the server keeps it the owner\'s until then', async () => {
    const page = await openFilledResults()
    const { promise } = page.instance.onShareAppMessage()
    await expect(promise).resolves.toEqual(SHARE)
    page.instance.onShareTimeline()
    await wait(10)
    expect(backend.callsTo('POST', '/recommendations/req-1/share')).toHaveLength(2)
  })

  test('a share goes out even when the server cannot open the request (offline, or not the sharer\'s)', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', ...fillingIn('req-1'))
    const page = await openResults()
    await wait(500 + 750 + 1125)
    page.instance.requestId = 'req-unknown'
    await expect(page.instance.onShareAppMessage().promise).resolves.toEqual({
      title: expect.any(String),
      path: '/pages/results/index?id=req-unknown',
    })
  })

  test('opened from Moments, where nobody can sign in, the page says to open the mini-program', async () => {
    backend.requireSignIn()
    wx.getEnterOptionsSync.mockReturnValue({ scene: 1154, query: { id: 'req-1' } })
    const page = await openPage('results', { id: 'req-1' })
    await wait(500)
    expect(text(problem(page).querySelector('.heading'))).toBe('在小程序中查看')
    // Nothing went wrong: no alert sign, and nothing to tap but WeChat's own 前往小程序.
    expect(attr(problem(page).querySelector('.icon__image'), 'src')).toBe('/assets/icons/film.svg')
    expect(problem(page).querySelector('.action')).toBeFalsy()
    expect(wx.login).not.toHaveBeenCalled()
  })

  test('WeChat refusing the sign-in: said in plain words, and 重试 signs in again', async () => {
    backend.requireSignIn()
    const refused = reply(401, { code: 'sign_in_refused', message: '微信登录凭证无效或已过期，请重新登录。' })
    backend.onSignIn(refused)
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间')]))
    const page = await openResults()
    expect(text(problem(page).querySelector('.heading'))).toBe('没能登录')
    expect(text(problem(page).querySelector('.message'))).not.toMatch(/管理员|401|token/i)
    expect(page.querySelector('.filter-button')).toBeFalsy() // one action: 重试
    await fire(problem(page), '.action')
    await wait(500)
    expect(titles(page)).toEqual(['盗梦空间'])
  })

  test('an account WeChat blocks from signing in: said so, with no action that cannot help', async () => {
    backend.requireSignIn()
    backend.onSignIn(reply(403, { code: 'sign_in_blocked', message: '微信暂时不允许这个账号登录。' }))
    backend.onCreate('req-1')
    const page = await openResults()
    expect(text(problem(page).querySelector('.heading'))).toBe('微信暂时不允许登录')
    expect(text(problem(page).querySelector('.message'))).toContain('重新登录也无法解决')
    expect(problem(page).querySelector('.action')).toBeFalsy()
    expect(page.querySelector('.filter-button')).toBeFalsy()
    expect(backend.callsTo('POST', '/sessions')).toHaveLength(1)
  })

  test('before the request exists, a share opens the home page rather than a broken link', async () => {
    backend.onCreate(offline())
    const page = await openResults()
    expect(page.instance.onShareAppMessage()).toEqual({ title: '影荐 · 今天看什么', path: '/pages/home/index' })
  })

  test('the shared path opens the same cards for whoever taps it', async () => {
    const sharer = await openFilledResults()
    const { path } = sharer.instance.onShareAppMessage()
    const posts = backend.posted().length
    const opener = await openPage('results', queryOf(path))
    await wait(500)
    expect(titles(opener)).toEqual(titles(sharer))
    expect(backend.posted()).toHaveLength(posts)
  })
})

test('the history keeps the request id of the latest batch', async () => {
  await openFilledResults()
  expect(storage.history.all()).toEqual([expect.objectContaining({ requestId: 'req-1', query: QUERY })])
})
