/**
 * Every text a model wrote carries its AI生成 label, wherever a person meets
 * it (a card, the movie page, a friend's shared link), a notice stays in view
 * while cards show, Douban's facts are never labelled, and text that leaves
 * the app (the clipboard, a share title) keeps the label.
 */
const { openPage, fire, wait, text, all } = require('./helpers/render')
const { createBackend } = require('./helpers/backend')
const { queryOf } = require('./helpers/wx')
const { view, movie, douban, fillingIn } = require('./helpers/fixtures')
const { resultsUrl, movieUrl } = require('../src/utils/routes')
const { AI_LABEL, AI_NOTICE, SHARE_TITLE_MAX, labelled, shareTitle } = require('../src/utils/ai-label')

const QUERY = { mode: 'tags', tags: ['科幻', '悬疑'], count: 3 }

let backend
beforeEach(() => {
  backend = createBackend()
})

/** Each card's reason, and whether it starts with the label. */
function reasons(page) {
  return all(page, '.card').map((card) => {
    const reason = card.querySelector('.reason')
    if (!reason) return null
    const label = card.querySelector('.reason__label')
    return { label: label ? text(label) : '', text: text(reason) }
  })
}

describe('results', () => {
  test('every reason starts with its label while the cards fill in, and the notice stays with them', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', ...fillingIn('req-1'))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    expect(page.querySelector('.ai-notice')).toBeTruthy() // with the skeletons already

    for (const step of [500, 750, 1125]) {
      await wait(step)
      const shown = reasons(page)
      expect(shown.length).toBeGreaterThan(0)
      shown.forEach((reason) => expect(reason).toEqual({ label: AI_LABEL, text: expect.stringMatching(/^AI生成.+/) }))
    }
    expect(reasons(page)).toEqual([
      { label: AI_LABEL, text: `${AI_LABEL}层层嵌套的梦境，烧脑又好看` },
      { label: AI_LABEL, text: `${AI_LABEL}硬核科幻与父女情的结合` },
    ])
    expect(text(page.querySelector('.ai-notice'))).toContain(AI_NOTICE)
    expect(text(page.querySelector('.ai-notice'))).toContain('评分、演职员和简介来自豆瓣')
  })

  test("Douban's facts carry no label, and a card without a reason shows none", async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间'), { ...movie(2, '星际穿越'), reason: '' }]))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    const [first, second] = all(page, '.card')
    for (const fact of ['.title', '.rating', '.byline']) expect(text(first.querySelector(fact))).not.toContain(AI_LABEL)
    expect(second.querySelector('.reason')).toBeFalsy()
    expect(text(second)).not.toContain(AI_LABEL)
  })

  test("a friend's shared link shows the label on every reason and the notice", async () => {
    backend.onPoll('req-9', view('req-9', 'done', [movie(1, '盗梦空间'), movie(2, '星际穿越')]))
    const page = await openPage('results', { id: 'req-9' })
    expect(reasons(page).map((reason) => reason.label)).toEqual([AI_LABEL, AI_LABEL])
    expect(text(page.querySelector('.ai-notice'))).toContain(AI_NOTICE)
  })

  test('a problem with nothing to show has no notice: there is no model text on screen', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'failed', [], { error: { code: 'timeout', message: '太久' } }))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    await wait(500)
    expect(page.querySelector('.problem')).toBeTruthy()
    expect(page.querySelector('.ai-notice')).toBeFalsy()
  })
})

describe('the movie page', () => {
  async function openInception() {
    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间')]))
    return openPage('movie', queryOf(movieUrl({ doubanId: '3541415', requestId: 'req-1', rank: 1 })))
  }

  test('the reason starts with its label, the notice is at the top, and the facts are said to be Douban\'s', async () => {
    const page = await openInception()
    const reason = page.querySelector('.reason__text')
    expect(text(page.querySelector('.reason__label'))).toBe(AI_LABEL)
    expect(text(reason)).toBe(`${AI_LABEL}层层嵌套的梦境，烧脑又好看`)
    expect(text(page.querySelector('.ai-notice'))).toContain(AI_NOTICE)
    expect(text(page.querySelector('.hero'))).not.toContain(AI_LABEL)
    expect(text(page.querySelector('.summary'))).not.toContain(AI_LABEL)
    expect(all(page, '.fact').map(text).join('')).not.toContain(AI_LABEL)
    expect(text(page.querySelector('.source'))).toContain('来自豆瓣')
  })

  test('a movie opened by its id alone has no model text: no label, no notice', async () => {
    backend.onMovie('3541415', { douban: douban('盗梦空间'), source: 'cache', partial: false })
    const page = await openPage('movie', { id: '3541415' })
    expect(text(page)).not.toContain(AI_LABEL)
    expect(page.querySelector('.ai-notice')).toBeFalsy()
    expect(page.instance.shareTitle()).toBe('推荐你看《盗梦空间》，豆瓣 9.4 分')
  })

  test('copying the reason keeps its label, before the words, with the title and the Douban link', async () => {
    const page = await openInception()
    await fire(page, '.copy-reason-action')
    expect(wx.setClipboardData).toHaveBeenCalledTimes(1)
    expect(wx.setClipboardData.mock.calls[0][0].data).toBe(
      '《盗梦空间》（2010）\n推荐理由【AI生成】层层嵌套的梦境，烧脑又好看\n豆瓣：https://movie.douban.com/subject/3541415/',
    )
  })

  test('a share title that holds the reason keeps the label before it, in a chat and on Moments', async () => {
    const page = await openInception()
    const title = '推荐你看《盗梦空间》，豆瓣 9.4 分｜AI生成：层层嵌套的梦境，烧脑又好看'
    expect(page.instance.onShareAppMessage().title).toBe(title)
    expect(page.instance.onShareTimeline().title).toBe(title)
  })
})

describe('labelled text', () => {
  test('a long reason is cut to what a share shows, never its label', () => {
    const reason = '梦'.repeat(200)
    const title = shareTitle('推荐你看《盗梦空间》，豆瓣 9.4 分', reason)
    expect(title.length).toBe(SHARE_TITLE_MAX)
    expect(title).toMatch(/^推荐你看《盗梦空间》，豆瓣 9\.4 分｜AI生成：梦+…$/)
    expect(shareTitle('推荐你看《盗梦空间》', '')).toBe('推荐你看《盗梦空间》')
    expect(labelled('好看')).toBe('【AI生成】好看')
  })
})
