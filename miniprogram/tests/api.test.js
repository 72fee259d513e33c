const api = require('../src/utils/api')
const { apiBase, createBackend, reply, offline } = require('./helpers/backend')
const { flush, wait } = require('./helpers/render')
const { rejectionOf } = require('./helpers/events')
const { view, movie, partialMovie } = require('./helpers/fixtures')

let backend
beforeEach(() => {
  backend = createBackend()
})


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
    [
      reply(429, { code: 'rate_limited', message: '请求太频繁了，请 30 秒后再试。' }, { 'Retry-After': '30' }),
      'rate_limited',
      '请求太频繁了，请 30 秒后再试。', // the server's own words, written for people
      false,
    ],
    [reply(429, { code: 'rate_limited' }, { 'Retry-After': '300' }), 'rate_limited', '请求太频繁了，请 5 分钟后再试', false],
    [reply(429, { code: 'rate_limited' }, { 'Retry-After': '7200' }), 'rate_limited', '请求太频繁了，请 2 小时后再试', false],
    [
      reply(429, { code: 'daily_limit_reached', message: 'Daily token budget spent' }, { 'Retry-After': '30000' }),
      'daily_limit_reached',
      '今天的推荐次数用完了，明天再来吧',
      false,
    ],
    [
      reply(422, {
        code: 'content_rejected',
        message: '输入的内容未通过微信内容安全检查，请换个说法再试。',
        details: [{ field: 'theme', message: '未通过内容安全检查' }],
      }),
      'content_rejected',
      '这段话没有通过微信的内容安全检查，换个说法试试吧',
      false,
    ],
    [
      reply(503, { code: 'content_check_unavailable', message: '暂时无法完成内容安全检查，请稍后再试。' }, { 'Retry-After': '5' }),
      'content_check_unavailable',
      '暂时没法检查输入的内容，请稍后再试',
      false,
    ],
    [reply(413, { code: 'payload_too_large', message: 'the file must be at most 3 MB' }), 'payload_too_large', '内容太大了，服务器收不下', false],
  ])('%j', async (answer, code, message, offlineState) => {
    backend.onPoll('req-1', answer)
    const error = await rejectionOf(api.getRecommendation('req-1'))
    expect(error).toBeInstanceOf(api.ApiError)
    expect(error).toMatchObject({ code, message })
    expect(error.offline).toBe(offlineState)
  })

  test('content_rejected names the field that was refused, so the page can let it be edited', async () => {
    backend.onCreate(reply(422, { code: 'content_rejected', details: [{ field: 'refine', message: '未通过' }] }))
    const error = await rejectionOf(api.createRecommendation({}))
    expect([error.refused('refine'), error.refused('theme')]).toEqual([true, false])
  })

  test('a daily budget spent is no hiccup to retry; a 429 for speed is', async () => {
    backend.onPoll('req-1', reply(429, { code: 'daily_limit_reached' }, { 'Retry-After': '30000' }))
    backend.onPoll('req-2', reply(429, { code: 'rate_limited' }, { 'Retry-After': '3' }))
    expect((await rejectionOf(api.getRecommendation('req-1'))).transient).toBe(false)
    expect((await rejectionOf(api.getRecommendation('req-2'))).transient).toBe(true)
  })

  test('an import file the server cannot read keeps its message for people', async () => {
    const message = '认不出这个文件的格式。支持：豆伴导出的 xlsx、doumark 同步的 CSV 或 JSON。'
    backend.onImportFile(reply(422, { code: 'unknown_format', message, details: [{ field: 'content', message }] }))
    const error = await rejectionOf(api.importFile({ filename: 'a.csv', content: 'x', encoding: 'text' }))
    expect(error).toMatchObject({ code: 'unknown_format', serverMessage: message, statusCode: 422 })
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

describe('imports and marks', () => {
  test('POST /imports sends the file with a longer timeout: the server reads it whole first', async () => {
    const history = { format: 'doumark_csv', entries: [], skipped: 0 }
    backend.onImportFile(history)
    const file = { filename: 'movie.csv', content: 'aWQsdGl0bGU=', encoding: 'base64' }
    await expect(api.importFile(file)).resolves.toEqual(history)
    expect(backend.calls[0]).toMatchObject({ url: `${apiBase}/imports`, method: 'POST', data: file })
    expect(backend.calls[0].timeout).toBe(api.IMPORT_TIMEOUT_MS)
  })

  test('an import by Douban id is polled every 2 s until it is done, and stop() ends it', async () => {
    backend.onImportUser('imp-1')
    const running = { id: 'imp-1', status: 'running', entries: [], skipped: 0, total: 618, error: null }
    backend.onImportPoll('imp-1', running, offline(), { ...running, status: 'done' })
    await expect(api.importDoubanUser('ahbei')).resolves.toEqual({ id: 'imp-1', status: 'pending' })
    expect(backend.calls[0].data).toEqual({ user: 'ahbei' })

    const onUpdate = jest.fn()
    const onError = jest.fn()
    api.pollImport('imp-1', { onUpdate, onError })
    await flush()
    expect(onUpdate).toHaveBeenLastCalledWith(running)
    await wait(api.IMPORT_POLL_MS * 2) // the hiccup is retried quietly
    expect(onUpdate).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'done' }))
    await wait(60000)
    expect(backend.callsTo('GET', '/imports/imp-1')).toHaveLength(3)
    expect(onError).not.toHaveBeenCalled()

    backend.onImportPoll('imp-2', running)
    const poller = api.pollImport('imp-2', { onUpdate, onError })
    await flush()
    poller.stop()
    await wait(60000)
    expect(backend.callsTo('GET', '/imports/imp-2')).toHaveLength(1)
  })

  test('an unknown import is reported at once', async () => {
    const onError = jest.fn()
    api.pollImport('gone', { onUpdate: jest.fn(), onError })
    await flush()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'not_found' }))
  })

  test('GET /me/marks asks for what changed since the last sync, POST sends marks', async () => {
    backend.onMarks(reply(200, { marks: [] }), reply(200, { marks: [] }), reply(200, { marks: [] }))
    await api.getMarks(null)
    await api.getMarks(1700000000000)
    await api.postMarks([{ douban_id: '1', title: '甲', status: 'seen', rating: null, updated_at: 1 }])
    expect(backend.calls.map((call) => [call.method, call.url.slice(apiBase.length)])).toEqual([
      ['GET', '/me/marks'],
      ['GET', '/me/marks?since=1700000000000'],
      ['POST', '/me/marks'],
    ])
    expect(backend.calls[2].data.marks).toHaveLength(1)
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

  test('a request done with partial cards is polled every 15 s, at most 24 times (6 minutes), until they are complete', async () => {
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
    await wait(api.COMPLETION.delayMs * (api.COMPLETION.maxPolls + 4))
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
