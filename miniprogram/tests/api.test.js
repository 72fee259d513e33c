const api = require('../src/utils/api')
const { apiBase, createBackend, reply, offline } = require('./helpers/backend')
const { flush, wait } = require('./helpers/render')
const { view, movie, partialMovie } = require('./helpers/fixtures')

let backend
beforeEach(() => {
  backend = createBackend()
})

async function rejectionOf(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('requests', () => {
  test('POST /recommendations sends JSON with a timeout and resolves the answer', async () => {
    backend.onCreate('req-1')
    const body = { mode: 'tags', tags: ['科幻'], count: 8, exclude: [] }
    await expect(api.createRecommendation(body)).resolves.toEqual({ id: 'req-1', status: 'pending' })
    const [call] = backend.calls
    expect(call).toMatchObject({
      url: `${apiBase}/recommendations`,
      method: 'POST',
      data: body,
      header: { 'content-type': 'application/json' },
      timeout: api.REQUEST_TIMEOUT_MS,
    })
  })

  test('a base URL with a trailing slash still makes clean URLs', async () => {
    const { API_BASES } = require('../src/config')
    wx.getAccountInfoSync.mockReturnValue({ miniProgram: { envVersion: 'release' } })
    jest.replaceProperty(API_BASES, 'release', 'https://api.example.com/prod/')
    wx.request = jest.fn(({ success }) => success({ statusCode: 200, data: view('req-1', 'done') }))
    await api.getRecommendation('req-1')
    expect(wx.request.mock.calls[0][0].url).toBe('https://api.example.com/prod/recommendations/req-1')
  })

  test('GET /movies/{id} resolves the card, with a longer timeout: it may read Douban first', async () => {
    const card = { douban: { id: '3541415', title: '盗梦空间' }, source: 'desktop', partial: false }
    backend.onMovie('3541415', card)
    await expect(api.getMovie('3541415')).resolves.toEqual(card)
    expect(backend.calls[0]).toMatchObject({
      url: `${apiBase}/movies/3541415`,
      method: 'GET',
      timeout: api.MOVIE_TIMEOUT_MS,
    })
    expect(api.MOVIE_TIMEOUT_MS).toBeGreaterThan(api.REQUEST_TIMEOUT_MS)
  })

  test('GET /recommendations/{id} resolves the view', async () => {
    backend.onPoll('req-1', view('req-1', 'running'))
    await expect(api.getRecommendation('req-1')).resolves.toMatchObject({ id: 'req-1', status: 'running' })
    expect(backend.calls[0]).toMatchObject({ url: `${apiBase}/recommendations/req-1`, method: 'GET' })
  })
})

describe('errors become Chinese messages', () => {
  test.each([
    [offline('request:fail'), 'network', '网络连接不上，请检查网络后重试', true],
    [offline('request:fail timeout'), 'timeout', '服务器响应超时，请检查网络后重试', true],
    [
      offline('request:fail url not in domain list'),
      'domain',
      '接口域名未加入 request 合法域名，请在开发者工具勾选“不校验合法域名”',
      false,
    ],
    [reply(404, { code: 'not_found', message: 'Unknown id' }), 'not_found', '没有找到，它可能已过期', false],
    [
      reply(503, { code: 'douban_unavailable', message: 'Douban' }, { 'Retry-After': '30' }),
      'douban_unavailable',
      '豆瓣暂时无法访问，请稍后再试',
      false,
    ],
    [
      reply(429, { code: 'rate_limited', message: 'Slow down' }, { 'Retry-After': '30' }),
      'rate_limited',
      '请求太频繁了，请 30 秒后再试',
      false,
    ],
    [reply(429, { code: 'rate_limited', message: 'Slow down' }), 'rate_limited', '请求太频繁了，请稍后再试', false],
    [
      reply(400, {
        code: 'invalid_request',
        message: 'Invalid',
        details: [
          { field: 'tags.0', message: 'too long' },
          { field: 'count', message: 'too big' },
        ],
      }),
      'invalid_request',
      '兴趣标签、推荐数量不符合要求，请修改后再试',
      false,
    ],
    [
      reply(422, { code: 'invalid_request', message: 'Invalid' }),
      'invalid_request',
      '请求内容不符合要求，请修改后再试',
      false,
    ],
    [
      reply(422, { code: 'invalid_request', details: [{ field: 'body.theme', message: 'too long' }] }),
      'invalid_request',
      '主题不符合要求，请修改后再试',
      false,
    ],
    [reply(502, 'Bad Gateway'), 'http', '服务器开小差了，请稍后再试', false],
    [reply(200, '<html>proxy login</html>'), 'bad_response', '服务器返回的数据无法识别，请稍后再试', false],
    [reply(418, { code: 'teapot', message: 'I am a teapot' }), 'teapot', '请求没有成功（418），请稍后再试', false],
  ])('%j', async (answer, code, message, offlineState) => {
    backend.onPoll('req-1', answer)
    const error = await rejectionOf(api.getRecommendation('req-1'))
    expect(error).toBeInstanceOf(api.ApiError)
    expect(error).toMatchObject({ code, message })
    expect(error.offline).toBe(offlineState)
  })

  test('429 keeps the Retry-After delay, whatever the header case', async () => {
    backend.onPoll('req-1', reply(429, { code: 'rate_limited' }, { 'retry-after': '2' }))
    const error = await rejectionOf(api.getRecommendation('req-1'))
    expect(error.retryAfterSeconds).toBe(2)
  })

  test('a refusal tells which fields it names', async () => {
    const details = [
      { field: 'previous', message: 'no such request' },
      { field: 'body.tags.0', message: 'too long' },
    ]
    backend.onCreate(reply(422, { code: 'invalid_request', details }))
    const error = await rejectionOf(api.createRecommendation({}))
    expect(error.message).toBe('上一批推荐、兴趣标签不符合要求，请修改后再试')
    expect([error.refused('previous'), error.refused('tags'), error.refused('exclude')]).toEqual([true, true, false])

    backend.onCreate(reply(404, { code: 'not_found', details }))
    expect((await rejectionOf(api.createRecommendation({}))).refused('previous')).toBe(false)
  })
})

describe('polling', () => {
  function startPolling(id = 'req-1') {
    const handlers = { onUpdate: jest.fn(), onError: jest.fn() }
    const poller = api.pollRecommendation(id, handlers)
    poller.start()
    return { poller, ...handlers }
  }

  test('polls at once, then backs off from 0.5 s to 3 s', async () => {
    backend.onPoll('req-1', view('req-1', 'running'))
    const { onUpdate } = startPolling()
    await flush()
    expect(backend.pollCount('req-1')).toBe(1)

    const gaps = [500, 750, 1125, 1687.5, 2531.25, 3000, 3000]
    for (const [index, gap] of gaps.entries()) {
      await wait(gap - 1)
      expect(backend.pollCount('req-1')).toBe(index + 1)
      await wait(1)
      expect(backend.pollCount('req-1')).toBe(index + 2)
    }
    expect(onUpdate).toHaveBeenCalledTimes(gaps.length + 1)
  })

  test.each(['done', 'failed'])('stops once the request is %s', async (status) => {
    backend.onPoll('req-1', view('req-1', 'running'), view('req-1', status))
    const { poller, onUpdate } = startPolling()
    await wait(500)
    expect(backend.pollCount('req-1')).toBe(2)
    expect(onUpdate).toHaveBeenLastCalledWith(expect.objectContaining({ status }))
    expect(poller.finished).toBe(true)

    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(2)
    poller.start() // e.g. the page is shown again: nothing left to poll
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(2)
  })

  test('stop() cancels the next poll; start() resumes at once with quick polls', async () => {
    backend.onPoll('req-1', view('req-1', 'running'))
    const { poller } = startPolling()
    await wait(500 + 750 + 1125) // three gaps: the next one would be 1687.5 ms
    expect(backend.pollCount('req-1')).toBe(4)

    poller.stop()
    await wait(30000)
    expect(backend.pollCount('req-1')).toBe(4)
    expect(poller.running).toBe(false)

    poller.start()
    await flush()
    expect(backend.pollCount('req-1')).toBe(5)
    await wait(500)
    expect(backend.pollCount('req-1')).toBe(6)
  })

  test('an answer that arrives after stop() is ignored', async () => {
    backend.onPoll('req-1', view('req-1', 'running', [movie(1, '盗梦空间')]))
    const { poller, onUpdate } = startPolling()
    poller.stop() // the first GET is already on its way
    await flush()
    expect(backend.pollCount('req-1')).toBe(1)
    expect(onUpdate).not.toHaveBeenCalled()
  })

  test('network hiccups are retried quietly, then reported', async () => {
    backend.onPoll('req-1', offline(), offline(), view('req-1', 'done'))
    const { onUpdate, onError } = startPolling()
    await wait(500 + 750)
    expect(onError).not.toHaveBeenCalled()
    expect(onUpdate).toHaveBeenCalledWith(expect.objectContaining({ status: 'done' }))

    backend.onPoll('req-2', offline())
    const second = startPolling('req-2')
    await wait(500 + 750 + 1125)
    expect(backend.pollCount('req-2')).toBe(4)
    expect(second.onError).toHaveBeenCalledTimes(1)
    expect(second.onError.mock.calls[0][0].offline).toBe(true)
    await wait(60000)
    expect(backend.pollCount('req-2')).toBe(4)
  })

  test('a 429 waits at least as long as Retry-After asks', async () => {
    backend.onPoll('req-1', reply(429, { code: 'rate_limited' }, { 'Retry-After': '5' }), view('req-1', 'done'))
    startPolling()
    await wait(4999)
    expect(backend.pollCount('req-1')).toBe(1)
    await wait(1)
    expect(backend.pollCount('req-1')).toBe(2)
  })

  test('a request done with partial cards is polled every 10 s, at most 6 times, until they are complete', async () => {
    const partial = view('req-1', 'done', [partialMovie(1, '盗梦空间')])
    backend.onPoll('req-1', partial, partial, view('req-1', 'done', [movie(1, '盗梦空间')]))
    const { poller, onUpdate } = startPolling()
    await flush()
    expect(api.hasPartial(partial)).toBe(true)
    expect(poller.finished).toBe(false)
    await wait(api.COMPLETION.delayMs * 2)
    expect(backend.pollCount('req-1')).toBe(3)
    expect(onUpdate).toHaveBeenCalledTimes(3)
    expect(poller.finished).toBe(true)

    backend.onPoll('req-2', partial)
    const second = startPolling('req-2')
    await wait(api.COMPLETION.delayMs * 10)
    expect(backend.pollCount('req-2')).toBe(1 + api.COMPLETION.maxPolls)
    expect(second.poller.running).toBe(false)
    expect(second.poller.finished).toBe(false)
  })

  test('while completing partial cards, failures are never reported: a lasting one ends the polling', async () => {
    const partial = view('req-1', 'done', [partialMovie(1, '盗梦空间')])
    backend.onPoll('req-1', partial, offline(), reply(404, { code: 'not_found' }))
    const { poller, onError } = startPolling()
    await wait(api.COMPLETION.delayMs * 2)
    expect(backend.pollCount('req-1')).toBe(3)
    expect(onError).not.toHaveBeenCalled()
    expect(poller.finished).toBe(true)
    await wait(60000)
    expect(backend.pollCount('req-1')).toBe(3)
  })

  test('an unknown id is reported at once', async () => {
    const { onError } = startPolling('gone')
    await flush()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'not_found' }))
    await wait(10000)
    expect(backend.pollCount('gone')).toBe(1)
  })
})
