/**
 * 反馈/举报 on every card and on the movie page: what was reported reaches
 * POST /feedback, the card is hidden from the person at once and stays
 * hidden, and a refusal (WeChat's check, too many reports) is said in place.
 */
const { openPage, fire, wait, text, all, tapText } = require('./helpers/render')
const { createBackend, reply } = require('./helpers/backend')
const { queryOf } = require('./helpers/wx')
const { view, movie, douban } = require('./helpers/fixtures')
const { resultsUrl, movieUrl } = require('../src/utils/routes')
const storage = require('../src/utils/storage')
const { AI_LABEL } = require('../src/utils/ai-label')

const QUERY = { mode: 'tags', tags: ['科幻', '悬疑'], count: 3 }
const DONE = view('req-1', 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越'), movie(3, '源代码')])

let backend
beforeEach(() => {
  backend = createBackend()
})

const titles = (page) => all(page, '.card').map((card) => text(card.querySelector('.title__text')))
const sheetOf = (page) => page.querySelector('.report-sheet')
const shown = (page) => Boolean(sheetOf(page).querySelector('.sheet').querySelector('.mask'))

async function openDone() {
  backend.onCreate('req-1')
  backend.onPoll('req-1', DONE)
  const page = await openPage('results', queryOf(resultsUrl(QUERY)))
  await wait(500)
  return page
}

async function reportCard(page, index) {
  await fire(all(page, '.card')[index], '.report-action')
  return sheetOf(page)
}

async function typeText(sheet, value) {
  await fire(sheet, '.text', 'input', { value })
}

const submit = (sheet) => sheet.querySelector('.submit')
const disabled = (button) => button.toJSON().attrs.some((each) => each.name === 'disabled' && each.value)

describe('a card', () => {
  test('反馈 opens the sheet on that card, with its title and its labelled reason', async () => {
    const page = await openDone()
    expect(all(page, '.card').every((card) => card.querySelector('.report-action'))).toBe(true)
    const sheet = await reportCard(page, 1)
    expect(text(sheet.querySelector('.target__title'))).toBe('《星际穿越》')
    expect(text(sheet.querySelector('.target__reason'))).toBe(`${AI_LABEL}硬核科幻与父女情的结合`)
    expect(all(sheet, '.kind__label').map(text)).toEqual([
      '推荐理由说错了',
      '内容不当',
      '不符合我的要求',
      '其他问题',
    ])
    expect(shown(page)).toBe(true)
    expect(disabled(submit(sheet))).toBe(true) // nothing chosen yet
  })

  test('a report is sent with the card, and the card is gone at once and stays gone', async () => {
    const page = await openDone()
    const sheet = await reportCard(page, 1)
    await tapText(sheet, '.kind__label', '推荐理由说错了')
    await typeText(sheet, '  主演写错了  ')
    await fire(sheet, '.submit')

    expect(backend.reports()).toEqual([{ kind: 'wrong_reason', text: '主演写错了', request_id: 'req-1', rank: 2 }])
    expect(titles(page)).toEqual(['盗梦空间', '源代码'])
    expect(all(page, '.card').map((card) => text(card.querySelector('.rank')))).toEqual(['1', '2'])
    expect(wx.showToast).toHaveBeenCalledWith({ title: '已收到反馈，这条推荐不再显示', icon: 'none' })
    expect(shown(page)).toBe(false)

    const again = await openPage('results', { id: 'req-1' }) // reopened, or shared back to them
    expect(titles(again)).toEqual(['盗梦空间', '源代码'])
    expect(storage.reported.keys()).toEqual(['req-1#2'])
  })

  test('其他 needs the person\'s words; the others do not', async () => {
    const page = await openDone()
    const sheet = await reportCard(page, 0)
    await tapText(sheet, '.kind__label', '其他问题')
    expect(disabled(submit(sheet))).toBe(true)
    await typeText(sheet, '海报和电影对不上')
    expect(disabled(submit(sheet))).toBe(false)
    await tapText(sheet, '.kind__label', '内容不当')
    await typeText(sheet, '')
    expect(disabled(submit(sheet))).toBe(false)
  })

  test('words WeChat\'s check refuses are said in place, and the card stays', async () => {
    backend.onFeedback(reply(422, { code: 'content_rejected', message: '', details: [{ field: 'text' }] }))
    const page = await openDone()
    const sheet = await reportCard(page, 0)
    await tapText(sheet, '.kind__label', '内容不当')
    await typeText(sheet, '不好的话')
    await fire(sheet, '.submit')

    expect(text(sheet.querySelector('.problem'))).toBe('这段话没有通过微信的内容安全检查，换个说法试试吧')
    expect(shown(page)).toBe(true) // still open, the words still there to change
    expect(titles(page)).toEqual(['盗梦空间', '星际穿越', '源代码'])
    expect(storage.reported.all()).toEqual([])
  })

  test('too many reports say how long to wait', async () => {
    backend.onFeedback(reply(429, { code: 'rate_limited', message: 'slow down' }, { 'Retry-After': '40' }))
    const page = await openDone()
    const sheet = await reportCard(page, 0)
    await tapText(sheet, '.kind__label', '不符合我的要求')
    await fire(sheet, '.submit')
    expect(text(sheet.querySelector('.problem'))).toBe('请求太频繁了，请 40 秒后再试')
  })
})

describe('the movie page', () => {
  test('反馈 on the reason reports the card, and the reason is no longer shown', async () => {
    backend.onPoll('req-1', DONE)
    const page = await openPage('movie', queryOf(movieUrl({ doubanId: '3541415', requestId: 'req-1', rank: 1 })))
    await fire(page, '.report-action')
    const sheet = sheetOf(page)
    expect(text(sheet.querySelector('.target__reason'))).toBe(`${AI_LABEL}层层嵌套的梦境，烧脑又好看`)
    await tapText(sheet, '.kind__label', '内容不当')
    await fire(sheet, '.submit')

    expect(backend.reports()).toEqual([{ kind: 'offensive', request_id: 'req-1', rank: 1 }])
    expect(page.querySelector('.reason')).toBeFalsy()
    expect(text(page.querySelector('.reported'))).toBe('已收到你的反馈，这条推荐理由不再显示')
    expect(page.instance.shareTitle()).toBe('推荐你看《盗梦空间》，豆瓣 9.4 分') // no reason left to share

    const again = await openPage('movie', queryOf(movieUrl({ doubanId: '3541415', requestId: 'req-1', rank: 1 })))
    expect(again.querySelector('.reason')).toBeFalsy()
  })

  test('a movie opened by its id alone is reported by its Douban id, from the foot of the page', async () => {
    backend.onMovie('3541415', { douban: douban('盗梦空间'), source: 'cache', partial: false })
    const page = await openPage('movie', { id: '3541415' })
    expect(page.querySelector('.reason')).toBeFalsy()
    await fire(page, '.report-link')
    const sheet = sheetOf(page)
    expect(sheet.querySelector('.target__reason')).toBeFalsy()
    await tapText(sheet, '.kind__label', '其他问题')
    await typeText(sheet, '简介写的是另一部电影')
    await fire(sheet, '.submit')
    expect(backend.reports()).toEqual([{ kind: 'other', text: '简介写的是另一部电影', douban_id: '3541415' }])
    expect(wx.showToast).toHaveBeenCalledWith({ title: '已收到反馈，谢谢你', icon: 'none' })
  })

  test("a favourite's reason, kept past its request's 30 days, is reported by the movie's id", async () => {
    storage.favourites.add(
      storage.favouriteEntry({ douban: douban('盗梦空间'), reason: '层层嵌套的梦境', requestId: 'gone', rank: 3 }),
    )
    backend.onFeedback(reply(404, { code: 'not_found', message: 'no card 3 in recommendation request gone' }))
    const page = await openPage('movie', queryOf(movieUrl({ doubanId: '3541415', requestId: 'gone', rank: 3 })))
    await fire(page, '.report-action')
    await tapText(sheetOf(page), '.kind__label', '推荐理由说错了')
    await fire(sheetOf(page), '.submit')
    expect(backend.reports()).toEqual([
      { kind: 'wrong_reason', request_id: 'gone', rank: 3 },
      { kind: 'wrong_reason', douban_id: '3541415' },
    ])
    expect(page.querySelector('.reason')).toBeFalsy()
  })
})
