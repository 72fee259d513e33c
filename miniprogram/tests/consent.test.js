/**
 * The first use: the 用户协议 and 隐私政策 are agreed to before anything
 * leaves the phone (no sign-in, no request), the agreement is recorded with
 * its version and time, declining sends nothing and says why, and a new
 * version of the texts asks again.
 */
const { openPage, lifecycle, fire, flush, wait, text, attr } = require('./helpers/render')
const { createBackend } = require('./helpers/backend')
const { queryOf, firstUse, lastNavigation, CONSENT_KEY } = require('./helpers/wx')
const { view, movie } = require('./helpers/fixtures')
const { resultsUrl } = require('../src/utils/routes')
const { AGREEMENT_VERSION } = require('../src/utils/agreements')

const QUERY = { mode: 'tags', tags: ['科幻', '悬疑'], count: 3 }

let backend
beforeEach(() => {
  backend = createBackend()
  firstUse()
})

const dialog = (page) => page.querySelector('.consent').querySelector('.dialog')

describe('on the home page', () => {
  test('the first use asks at once, and the two agreements open from the sheet', async () => {
    const home = await openPage('home')
    expect(dialog(home)).toBeTruthy()
    expect(text(dialog(home))).toContain('欢迎使用影荐')
    expect(text(dialog(home))).toContain('推荐理由由 AI 模型生成')
    await fire(home.querySelector('.consent'), '.terms-link')
    expect(lastNavigation()).toBe('/pages/agreement/index?doc=terms')
    await fire(home.querySelector('.consent'), '.privacy-link')
    expect(lastNavigation()).toBe('/pages/agreement/index?doc=privacy')
    expect(backend.calls).toEqual([])
  })

  test('agreeing is recorded with the version and the time, and the sheet goes', async () => {
    const home = await openPage('home')
    const before = Date.now()
    await fire(home.querySelector('.consent'), '.agree')
    expect(wx.getStorageSync(CONSENT_KEY)).toEqual({ version: AGREEMENT_VERSION, at: expect.any(Number) })
    expect(wx.getStorageSync(CONSENT_KEY).at).toBeGreaterThanOrEqual(before)
    expect(dialog(home)).toBeFalsy()
    await lifecycle(home, 'onShow')
    expect(dialog(home)).toBeFalsy() // asked once
  })

  test('the agree button is WeChat\'s own, so that its privacy guide is agreed to as well', async () => {
    const home = await openPage('home')
    const agree = home.querySelector('.consent').querySelector('.agree')
    expect(attr(agree, 'openType')).toBe('agreePrivacyAuthorization')
    expect(attr(agree, 'id')).toBe('agree-btn')
  })

  test('a new version of the texts asks again', async () => {
    wx.setStorageSync(CONSENT_KEY, { version: '2025-01-01', at: 1 })
    const home = await openPage('home')
    expect(dialog(home)).toBeTruthy()
  })
})

describe('before the first request', () => {
  test('a shared link opened on first use polls nothing until the person agrees', async () => {
    backend.onPoll('req-9', view('req-9', 'done', [movie(1, '盗梦空间')]))
    const page = await openPage('results', { id: 'req-9' })
    await wait(3000)
    expect(backend.calls).toEqual([])
    expect(dialog(page)).toBeTruthy()

    await fire(page.querySelector('.consent'), '.agree')
    await wait(0)
    expect(backend.pollCount('req-9')).toBe(1)
    expect(text(page.querySelector('.card'))).toContain('盗梦空间')
  })

  test('declining sends nothing, says why, and 重试 asks again', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'done', [movie(1, '盗梦空间')]))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    await fire(page.querySelector('.consent'), '.decline')
    expect(backend.calls).toEqual([])
    expect(wx.getStorageSync(CONSENT_KEY)).toBe('')
    const problem = page.querySelector('.problem')
    expect(text(problem.querySelector('.heading'))).toBe('需要先同意协议')
    expect(text(problem.querySelector('.message'))).toBe('同意《用户协议》和《隐私政策》后才能为你推荐')
    expect(text(problem.querySelector('.action'))).toBe('阅读并同意')

    await fire(problem, '.action')
    expect(dialog(page)).toBeTruthy()
    await fire(page.querySelector('.consent'), '.agree')
    await wait(500)
    expect(backend.posted()).toHaveLength(1)
  })
})

describe('the app', () => {
  let app
  beforeEach(() => {
    jest.resetModules()
    global.App = (definition) => {
      app = definition
    }
    require('../src/app')
    backend = createBackend()
    backend.requireSignIn()
  })
  afterEach(() => {
    delete global.App
  })

  test('signs in only once the person has agreed', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => {})
    app.onLaunch()
    await flush()
    expect(wx.login).not.toHaveBeenCalled()
    expect(backend.calls).toEqual([])

    require('../src/utils/consent').accept()
    await app.launched
    await flush()
    expect(wx.login).toHaveBeenCalledTimes(1)
    expect(backend.callsTo('POST', '/sessions')).toHaveLength(1)
  })

  test('says at start-up which of the operator\'s details the build lacks', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
    app.onLaunch()
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('主体名称、联系方式、模型名称、模型备案号'))
  })
})
