/**
 * The results page with the person's taste: 为我推荐 from their marks,
 * 不感兴趣, 更多类似, the refine box, 筛选, and the refusals a signed-in
 * person can meet (WeChat's content check, the day's budget).
 */
const { openPage, fire, wait, text, all, chooseFilters } = require('../helpers/render')
const { createBackend, reply } = require('../helpers/backend')
const { queryOf, lastNavigation } = require('../helpers/wx')
const { view, movie } = require('../helpers/fixtures')
const { resultsUrl } = require('../../src/utils/routes')
const storage = require('../../src/utils/storage')
const marks = require('../../src/utils/marks')

const QUERY = { mode: 'tags', tags: ['科幻', '悬疑'], count: 3 }
const THREE = [movie(1, '盗梦空间'), movie(2, '星际穿越'), movie(3, '源代码')]

let backend
beforeEach(() => {
  backend = createBackend()
})

const cards = (page) => all(page, '.card')
const titles = (page) => cards(page).map((card) => text(card.querySelector('.title__text')))
const problem = (page) => page.querySelector('.problem')
const lastPosted = () => backend.posted()[backend.posted().length - 1]

async function openDone(query = QUERY, movies = THREE) {
  backend.onCreate('req-1', 'req-2', 'req-3')
  backend.onPoll('req-1', view('req-1', 'done', movies))
  backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
  backend.onPoll('req-3', view('req-3', 'done', [movie(1, '星际穿越')]))
  const page = await openPage('results', queryOf(resultsUrl(query)))
  await wait(500)
  return page
}

describe('为我推荐', () => {
  test('asks from the marks: liked and disliked by Douban id, everything seen excluded, the mood', async () => {
    storage.favourites.add(storage.favouriteEntry({ douban: { id: '1889243', title: '星际穿越', year: 2014 } }))
    marks.rate({ doubanId: '3541415', title: '盗梦空间', year: 2010 }, 5)
    marks.rate({ doubanId: '1292052', title: '肖申克的救赎', year: 1994 }, 3)
    marks.rate({ doubanId: '1291843', title: '电锯惊魂', year: 2004 }, 1)
    marks.toggleDisliked({ doubanId: '1295038', title: '哈利·波特与魔法石', year: 2001 })
    marks.toggleSeen({ title: '霸王别姬' })
    const page = await openDone({ mode: 'for_me', mood: '今晚想看点轻松的', count: 8 })
    expect(backend.posted()[0]).toEqual({
      mode: 'for_me',
      mood: '今晚想看点轻松的',
      count: 8,
      liked: ['1889243', '3541415'],
      disliked: ['1295038', '1291843'],
      exclude: ['1295038', '霸王别姬', '1291843', '1292052', '3541415'],
    })
    expect(text(page.querySelector('.header__mode'))).toBe('为我推荐')
    expect(text(page.querySelector('.header__label'))).toBe('今晚想看点轻松的')
  })

  test('换一批 asks from the marks as they are now, after a rating on the way', async () => {
    marks.rate({ doubanId: '3541415', title: '盗梦空间', year: 2010 }, 5)
    const page = await openDone({ mode: 'for_me', count: 3 })
    marks.rate({ doubanId: '1889243', title: '星际穿越', year: 2014 }, 4)
    await fire(page, '.more')
    expect(lastPosted()).toMatchObject({ liked: ['3541415', '1889243'], previous: 'req-1' })
    expect(text(page.querySelector('.header__label'))).toBe('根据你的口味')
  })

  test('a shared 为我推荐 page asks, on 换一批, from the opener own marks', async () => {
    marks.rate({ doubanId: '1292052', title: '肖申克的救赎', year: 1994 }, 5)
    backend.onPoll('req-9', view('req-9', 'done', [movie(1, '盗梦空间')], { mode: 'for_me', query: '为我推荐', count: 5 }))
    backend.onPoll('req-8', view('req-8', 'done', [movie(1, '盗梦空间')], { mode: 'for_me', query: '想哭一场', count: 5 }))
    const withMood = await openPage('results', { id: 'req-8' })
    expect(text(withMood.querySelector('.header__label'))).toBe('想哭一场')
    backend.onCreate('req-10')
    backend.onPoll('req-10', view('req-10', 'done', [movie(1, '源代码')]))
    const page = await openPage('results', { id: 'req-9' })
    await fire(page, '.more')
    expect(lastPosted()).toEqual({
      mode: 'for_me',
      count: 5,
      liked: ['1292052'],
      disliked: [],
      exclude: ['3541415', '1292052'],
      previous: 'req-9',
    })
  })
})

describe('不感兴趣', () => {
  test('folds the card, keeps it out of every later batch, and can be taken back', async () => {
    const page = await openDone()
    await fire(cards(page)[1], '.dislike-action')
    expect(text(cards(page)[1].querySelector('.folded__text'))).toBe('不再推荐《星际穿越》')
    expect(storage.disliked.all()).toEqual([expect.objectContaining({ doubanId: '1889243', title: '星际穿越' })])
    await fire(page, '.more')
    expect(lastPosted().exclude).toEqual(['3075287', '1889243', '3541415'])

    backend = createBackend()
    const again = await openDone()
    expect(backend.posted()[0].exclude).toEqual(['1889243'])
    await fire(cards(again)[1], '.undo-action')
    expect(storage.disliked.all()).toEqual([])
    expect(cards(again)[1].querySelector('.folded__text')).toBeFalsy()
  })

  test('is a negative signal for 为我推荐', async () => {
    const page = await openDone()
    await fire(cards(page)[0], '.dislike-action')
    expect(marks.taste().disliked).toEqual(['3541415'])
  })
})

describe('更多类似', () => {
  test('opens films like that one, on a page of its own, with the same count and filters', async () => {
    const page = await openDone({ ...QUERY, filters: { min_rating: 8 } })
    await fire(cards(page)[0], '.more-like-action')
    expect(lastNavigation()).toMatch(/^\/pages\/results\/index\?q=/)
    const query = JSON.parse(decodeURIComponent(queryOf(lastNavigation()).q))
    expect(query).toEqual({
      mode: 'theme',
      theme: '像《盗梦空间》那样的电影',
      like: '3541415',
      count: 3,
      filters: { min_rating: 8 },
    })

    backend.onCreate('req-like')
    backend.onPoll('req-like', view('req-like', 'done', [movie(1, '源代码')]))
    const like = await openPage('results', queryOf(lastNavigation()))
    expect(lastPosted()).toEqual({ ...query, exclude: [] })
    expect(text(like.querySelector('.header__label'))).toBe('像《盗梦空间》那样的电影')
  })
})

describe('the refine box', () => {
  test('shows once the answer is done, with suggestions', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'running', [movie(1, '盗梦空间', 'pending')]), view('req-1', 'done', THREE))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    expect(page.querySelector('.refine')).toBeFalsy()
    await wait(500)
    expect(all(page, '.refine__suggestion').map(text)).toEqual([
      '更冷门一点',
      '更新一点',
      '更经典一点',
      '轻松一点',
      '更烧脑一点',
      '不要恐怖片',
    ])
  })

  test('a suggestion asks again at once: the refinement with the request it refines, its films excluded', async () => {
    const page = await openDone()
    await fire(page, '.refine__suggestion')
    expect(lastPosted()).toEqual({
      ...QUERY,
      exclude: ['3075287', '1889243', '3541415'],
      previous: 'req-1',
      refine: '更冷门一点',
    })
    expect(text(page.querySelector('.refine-label'))).toBe('更冷门一点')
    expect(titles(page)).toEqual(['源代码'])

    // 换一批 keeps refining the same way, from the latest request.
    await fire(page, '.more')
    expect(lastPosted()).toMatchObject({ refine: '更冷门一点', previous: 'req-2' })
    expect(storage.history.all()[0].query).toEqual({ ...QUERY, refine: '更冷门一点' })
  })

  test('words of one own, trimmed; blank ones are not sent', async () => {
    const page = await openDone()
    await fire(page, '.refine__send')
    expect(text(page.querySelector('.refine__problem'))).toBe('请输入调整要求')
    expect(backend.posted()).toHaveLength(1)
    await fire(page, '.refine__input', 'input', { value: '  只要2010年以后的 ' })
    expect(page.querySelector('.refine__problem')).toBeFalsy()
    await fire(page, '.refine__input', 'confirm')
    expect(lastPosted()).toMatchObject({ refine: '只要2010年以后的', previous: 'req-1' })
  })

  test('words WeChat content check refuses leave the cards as they were, ready to be said another way', async () => {
    const rejected = reply(422, { code: 'content_rejected', message: '未通过', details: [{ field: 'refine', message: '未通过' }] })
    backend.onCreate('req-1', rejected)
    backend.onPoll('req-1', view('req-1', 'done', THREE))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    await wait(500)
    await fire(page, '.refine__input', 'input', { value: '再来点刺激的' })
    await fire(page, '.refine__send')
    expect(titles(page)).toEqual(['盗梦空间', '星际穿越', '源代码'])
    expect(problem(page)).toBeFalsy()
    expect(text(page.querySelector('.refine__problem'))).toBe('这段话没有通过微信的内容安全检查，换个说法试试吧')
    expect(page.querySelector('.refine__input').toJSON().attrs).toContainEqual({ name: 'value', value: '再来点刺激的' })
    expect(page.querySelector('.refine-label')).toBeFalsy()

    // 换一批 then is a plain one, from the request still shown.
    backend.onCreate('req-2')
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    await fire(page, '.more')
    expect(lastPosted()).not.toHaveProperty('refine')
    expect(lastPosted().previous).toBe('req-1')
  })

  test('refining a request that has expired meanwhile asks without it, and without the refinement it needs', async () => {
    const expired = reply(422, { code: 'invalid_request', details: [{ field: 'previous', message: 'no such request' }] })
    backend.onCreate('req-1', expired, 'req-2')
    backend.onPoll('req-1', view('req-1', 'done', THREE))
    backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    await wait(500)
    await fire(page, '.refine__suggestion')
    expect(backend.posted()[1]).toMatchObject({ previous: 'req-1', refine: '更冷门一点' })
    expect(backend.posted()[2]).toEqual({ ...QUERY, exclude: ['3075287', '1889243', '3541415'] })
    expect(titles(page)).toEqual(['源代码'])
  })

  test('调整 in the bar takes the person to the box', async () => {
    const page = await openDone()
    await fire(page, '.adjust')
    expect(wx.pageScrollTo).toHaveBeenCalledWith({ selector: '.refine', duration: 200 })
  })
})

describe('筛选 on the results', () => {
  const applyFilters = (page, labels) => chooseFilters(page, '.filter-button', labels)

  test('the header says which filters are in force', async () => {
    const page = await openDone({ ...QUERY, filters: { min_rating: 8, countries: ['美国'] } })
    expect(text(page.querySelector('.filter-button__count'))).toBe('2')
    expect(text(page.querySelector('.filter-text'))).toBe('8 分以上 · 美国')
    expect(backend.posted()[0].filters).toEqual({ min_rating: 8, countries: ['美国'] })
  })

  test('other filters ask afresh: no previous, and films shown before may come back', async () => {
    marks.toggleSeen({ doubanId: '1292052', title: '肖申克的救赎', year: 1994 })
    const page = await openDone({ ...QUERY, refine: '更冷门一点' })
    await applyFilters(page, ['9 分以上', '只看剧集'])
    expect(lastPosted()).toEqual({ ...QUERY, filters: { min_rating: 9, kind: 'tv' }, exclude: ['1292052'] })
    expect(text(page.querySelector('.filter-text'))).toBe('9 分以上 · 只看剧集')
    expect(page.querySelector('.refine-label')).toBeFalsy()
    expect(titles(page)).toEqual(['源代码'])
  })

  test('the same filters again ask nothing', async () => {
    const page = await openDone({ ...QUERY, filters: { min_rating: 8 } })
    await fire(page, '.filter-button')
    await fire(page.querySelector('.filter-sheet'), '.apply')
    expect(backend.posted()).toHaveLength(1)
  })

  test('when the filters leave nothing, the page says so', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'done', []))
    const page = await openPage('results', queryOf(resultsUrl({ ...QUERY, filters: { min_rating: 9.5 } })))
    await wait(500)
    expect(text(problem(page).querySelector('.heading'))).toBe('没有符合筛选条件的电影')
    expect(text(problem(page).querySelector('.action'))).toBe('换一批')
    expect(page.querySelector('.filter-button')).toBeTruthy() // loosening the filters can help here
  })
})

test('an API that still takes 200 exclude entries gets the newest 200 rather than a refusal', async () => {
  storage.seen.save(Array.from({ length: 600 }, (_, i) => ({ key: `douban:${i}`, doubanId: String(i), title: `片${i}`, at: -i })))
  const tooMany = reply(422, { code: 'invalid_request', details: [{ field: 'exclude', message: 'List should have at most 200 items' }] })
  backend.onCreate(tooMany, 'req-1')
  backend.onPoll('req-1', view('req-1', 'done', THREE))
  const page = await openPage('results', queryOf(resultsUrl(QUERY)))
  await wait(500)
  expect(backend.posted().map((body) => body.exclude.length)).toEqual([600, 200])
  expect(backend.posted()[1].exclude.slice(0, 2)).toEqual(['0', '1'])
  expect(titles(page)).toEqual(['盗梦空间', '星际穿越', '源代码'])
})

describe('refusals a person can meet', () => {
  test('words WeChat refuses: said kindly, and 修改一下 goes back to where they were typed', async () => {
    const rejected = { code: 'content_rejected', message: '输入的内容未通过微信内容安全检查', details: [{ field: 'theme' }] }
    backend.onCreate(reply(422, rejected))
    const page = await openPage('results', queryOf(resultsUrl({ mode: 'theme', theme: '一段话', count: 8 })))
    expect(text(problem(page).querySelector('.heading'))).toBe('换个说法试试')
    expect(text(problem(page).querySelector('.message'))).toBe('这段话没有通过微信的内容安全检查')
    expect(text(problem(page).querySelector('.action'))).toBe('修改一下')
    await fire(problem(page), '.action')
    expect(wx.navigateBack).toHaveBeenCalledTimes(1)
    expect(backend.posted()).toHaveLength(1)

    // Opened from a shared link there is no page to go back to: the home page, then.
    wx.navigateBack.mockImplementationOnce(({ fail }) => fail({ errMsg: 'navigateBack:fail cannot navigate back' }))
    await fire(problem(page), '.action')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })

  test('the day budget spent: when it comes back, and nothing to tap that cannot help', async () => {
    const spent = { code: 'daily_limit_reached', message: '今天的推荐次数已经用完了，明天再来吧。' }
    backend.onCreate(reply(429, spent, { 'Retry-After': '36000' }))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    expect(text(problem(page).querySelector('.heading'))).toBe('今天的推荐次数用完了')
    // The server's words would only say the title again.
    expect(text(problem(page).querySelector('.message'))).toBe('10 小时后可以再推荐')
    expect(problem(page).querySelector('.action')).toBeFalsy()
    expect(page.querySelector('.filter-button')).toBeFalsy()
  })

  test('too many requests: how long to wait, and 重试', async () => {
    backend.onCreate(reply(429, { code: 'rate_limited', message: '请求太频繁了，请 20 秒后再试。' }, { 'Retry-After': '20' }))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    expect(text(problem(page).querySelector('.heading'))).toBe('请求太频繁了')
    expect(text(problem(page).querySelector('.message'))).toBe('歇一会儿，20 秒后再试')
    expect(text(problem(page).querySelector('.action'))).toBe('重试')
  })

  test('too many requests without Retry-After: the server words', async () => {
    backend.onCreate(reply(429, { code: 'rate_limited', message: '请求太频繁了，请稍后再试。' }))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    expect(text(problem(page).querySelector('.message'))).toBe('请求太频繁了，请稍后再试。')
  })
})
