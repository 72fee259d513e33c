/**
 * Signing in with WeChat (utils/session.js) and calls that need it (utils/api.js):
 * silent sign-in, the token as a Bearer header, a 401 signing in again and
 * retrying once, and an open server (the local stack) that needs none.
 */
const { createBackend, reply, offline } = require('./helpers/backend')
const { view } = require('./helpers/fixtures')

let backend
let api
let session
beforeEach(() => {
  // Each test is a fresh launch: the session module keeps what the server said in memory.
  jest.resetModules()
  api = require('../src/utils/api')
  session = require('../src/utils/session')
  backend = createBackend()
})

const bearer = (call) => (call.header || {}).Authorization
const signIns = () => backend.callsTo('POST', '/sessions')

test('signs in with the wx.login code and sends the token with every call', async () => {
  backend.requireSignIn()
  backend.onPoll('req-1', view('req-1', 'done'))
  await expect(session.start()).resolves.toBe(true)
  expect(signIns()).toHaveLength(1)
  expect(signIns()[0].data).toEqual({ code: 'wx-code-1' })
  expect(bearer(signIns()[0])).toBeUndefined()

  await api.getRecommendation('req-1')
  expect(bearer(backend.calls[1])).toMatch(/^Bearer token-1-/)
  expect(session.signedIn()).toBe(true)
})

test('the token is kept: a launch within its lifetime does not sign in again', async () => {
  backend.requireSignIn()
  await session.start()
  await session.start()
  expect(signIns()).toHaveLength(1)
  expect(wx.getStorageSync(session.STORAGE_KEY)).toEqual({
    token: expect.stringMatching(/^token-1-/),
    expiresAt: Date.now() + 7200 * 1000,
  })
})

test('calls made while signing in wait for the token', async () => {
  backend.requireSignIn()
  backend.onPoll('req-1', view('req-1', 'done'))
  session.start()
  await api.getRecommendation('req-1')
  expect(backend.calls.map((call) => call.url.split('/').pop())).toEqual(['sessions', 'req-1'])
  expect(bearer(backend.calls[1])).toMatch(/^Bearer /)
})

describe('a server without sign-in (the local stack)', () => {
  test('answers 404 to /sessions: the app goes on without a token, and never retries a call', async () => {
    backend.onPoll('req-1', view('req-1', 'done'))
    await expect(session.start()).resolves.toBe(false)
    expect(session.open).toBe(true)
    await api.getRecommendation('req-1')
    expect(bearer(backend.calls[1])).toBeUndefined()
    expect(signIns()).toHaveLength(1)
  })

  test.each([
    ['501', reply(501, { code: 'not_implemented' })],
    ['no network', offline()],
    ['WeChat down', reply(503, { code: 'wechat_unavailable', message: '暂时无法通过微信登录，请稍后再试。' })],
    ['an answer without a token', reply(200, { expires_in: 7200 })],
  ])('%s: no token, and the app keeps working', async (_, answer) => {
    backend.onSignIn(answer)
    backend.onPoll('req-1', view('req-1', 'done'))
    await expect(session.start()).resolves.toBe(false)
    await expect(api.getRecommendation('req-1')).resolves.toMatchObject({ id: 'req-1' })
    expect(session.signedIn()).toBe(false)
  })

  test('wx.login failing is no sign-in either', async () => {
    wx.login.mockImplementationOnce(({ fail }) => fail({ errMsg: 'login:fail timeout' }))
    await expect(session.start()).resolves.toBe(false)
    expect(signIns()).toHaveLength(0)
  })
})

describe('a 401', () => {
  test('signs in again and retries the call once', async () => {
    backend.requireSignIn()
    backend.onPoll('req-1', view('req-1', 'done'))
    // No sign-in at launch (offline then): the first call goes without a token.
    await expect(api.getRecommendation('req-1')).resolves.toMatchObject({ id: 'req-1' })
    expect(backend.calls.map((call) => [call.method, call.url.split('/').pop(), Boolean(bearer(call))])).toEqual([
      ['GET', 'req-1', false],
      ['POST', 'sessions', false],
      ['GET', 'req-1', true],
    ])
  })

  test('an expired token is replaced, and the call goes through', async () => {
    backend.requireSignIn()
    backend.onCreate('req-1')
    await session.start()
    backend.expireTokens() // the server ended the session before the phone thought it would
    await expect(api.createRecommendation({ mode: 'star', star: '周星驰', count: 8 })).resolves.toEqual({
      id: 'req-1',
      status: 'pending',
    })
    expect(signIns()).toHaveLength(2)
    expect(backend.posted()).toHaveLength(2) // the refused POST, then the one that went through
    expect(bearer(backend.callsTo('POST', '/recommendations')[1])).toMatch(/^Bearer token-2-/)
  })

  test('when signing in again fails too, the 401 stands, in words for people', async () => {
    backend.requireSignIn()
    backend.onSignIn(reply(401, { code: 'sign_in_refused', message: '微信登录凭证无效或已过期，请重新登录。' }))
    const error = await api.getRecommendation('req-1').catch((each) => each)
    expect(error).toMatchObject({ code: 'unauthorized', message: '微信登录没有成功，请稍后再试', statusCode: 401 })
    expect(backend.calls).toHaveLength(2) // no third try
  })

  test('when signing in again finds no network, the call says so, not that sign-in failed', async () => {
    backend.requireSignIn()
    wx.setStorageSync(session.STORAGE_KEY, { token: 'token-the-server-forgot', expiresAt: Date.now() + 3600 * 1000 })
    backend.onSignIn(offline())
    const error = await api.getRecommendation('req-1').catch((each) => each)
    expect(error).toMatchObject({ code: 'network', offline: true })
  })

  test('a second 401 after signing in again is not retried again', async () => {
    backend.requireSignIn()
    backend.onPoll('req-1', reply(401, { code: 'unauthorized' }))
    const error = await api.getRecommendation('req-1').catch((each) => each)
    expect(error.code).toBe('unauthorized')
    expect(backend.pollCount('req-1')).toBe(2)
    expect(signIns()).toHaveLength(1)
  })

  test('an account WeChat blocks is not signed in again: calls fail at once, saying so', async () => {
    backend.requireSignIn()
    const blocked = reply(403, {
      code: 'sign_in_blocked',
      message: '微信判断这个微信账号存在安全风险，暂时不允许它登录小程序，重新登录也无法解决。账号恢复正常后再来吧。',
    })
    backend.onSignIn(blocked, blocked, blocked)
    backend.onPoll('req-1', view('req-1', 'done'))
    await expect(session.start()).resolves.toBe(false)
    expect(session.blocked).toMatchObject({ code: 'sign_in_blocked', statusCode: 403 })
    for (let call = 0; call < 3; call += 1) {
      const error = await api.getRecommendation('req-1').catch((each) => each)
      expect(error).toMatchObject({ code: 'sign_in_blocked', message: expect.stringContaining('重新登录也无法解决') })
    }
    expect(signIns()).toHaveLength(1) // the launch's: no loop of wx.login and POST /sessions
    expect(wx.login).toHaveBeenCalledTimes(1)
    expect(backend.pollCount('req-1')).toBe(3) // each call went once, without a token, and was not retried
  })

  test('an account blocked when signing in again after a 401 is told so, not asked to retry', async () => {
    backend.requireSignIn()
    backend.onSignIn(reply(403, { code: 'sign_in_blocked', message: '微信暂时不允许这个账号登录。' }))
    const error = await api.getRecommendation('req-1').catch((each) => each)
    expect(error.code).toBe('sign_in_blocked')
    await api.getRecommendation('req-1').catch((each) => each)
    expect(signIns()).toHaveLength(1)
  })

  test('calls refused at once share one sign-in', async () => {
    backend.requireSignIn()
    backend.onPoll('req-1', view('req-1', 'done'))
    backend.onPoll('req-2', view('req-2', 'done'))
    await Promise.all([api.getRecommendation('req-1'), api.getRecommendation('req-2')])
    expect(signIns()).toHaveLength(1)
    expect(wx.login).toHaveBeenCalledTimes(1)
  })
})

test('a kept token about to expire is renewed before the call rather than refused', async () => {
  backend.requireSignIn()
  backend.onPoll('req-1', view('req-1', 'done'))
  await session.start()
  jest.setSystemTime(Date.now() + 7200 * 1000 - 30 * 1000) // 30 s left: too little to send
  backend.expireTokens()
  await api.getRecommendation('req-1')
  expect(backend.calls.map((call) => call.url.split('/').pop())).toEqual(['sessions', 'sessions', 'req-1'])
})
