/**
 * The only module that talks to the movierec API (and so the only caller of
 * wx.request). Every failure becomes an ApiError whose message a person can read.
 */
const config = require('../config')

const REQUEST_TIMEOUT_MS = 10000
// GET /movies/{id} may read Douban first (the API allows itself 15 s for that).
const MOVIE_TIMEOUT_MS = 15000

// Poll quickly while Douban lookups are fresh, then back off so a slow request costs little.
const POLL = {
  initialDelayMs: 500,
  maxDelayMs: 3000,
  factor: 1.5,
  // Network hiccups while polling are retried quietly this many times in a row.
  maxRetries: 3,
}

// A done request may still hold `partial` cards (built from Douban's search entry alone),
// which the backend completes later: look again a few times, slowly, so the person sees them fill in.
const COMPLETION = {
  delayMs: 10000,
  maxPolls: 6,
}

const FINAL_STATUSES = ['done', 'failed']

const FIELD_NAMES = {
  tags: '兴趣标签',
  theme: '主题',
  star: '明星名字',
  count: '推荐数量',
  exclude: '看过列表',
  previous: '上一批推荐',
}

class ApiError extends Error {
  /**
   * @param {string} code network | timeout | domain | config | http | bad_response | a server code such as rate_limited
   * @param {string} message shown to the person as is
   */
  constructor(code, message, { statusCode = 0, retryAfterSeconds = 0, fields = [] } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.statusCode = statusCode
    this.retryAfterSeconds = retryAfterSeconds
    this.fields = fields // the `field` of each detail of an invalid_request, e.g. "tags.0"
  }

  /** The request was refused because of `field` (e.g. "previous"; "tags" for "tags.0"). */
  refused(field) {
    return this.code === 'invalid_request' && this.fields.some((each) => fieldParts(each).includes(field))
  }

  /** No answer reached us: show the "no network" state rather than an error. */
  get offline() {
    return this.code === 'network' || this.code === 'timeout'
  }

  /** Worth trying again by itself a moment later. */
  get transient() {
    return this.offline || this.code === 'rate_limited' || this.statusCode >= 500
  }
}

function fieldParts(field) {
  return String(field || '').split(/[.[\]]/)
}

function headerValue(header, name) {
  const key = Object.keys(header || {}).find((each) => each.toLowerCase() === name)
  return key ? header[key] : undefined
}

/** "兴趣标签、推荐数量" from details such as [{field: "tags.0"}, {field: "count"}]. */
function describeInvalidFields(details) {
  const names = (details || [])
    .map((detail) => fieldParts(detail.field).find((part) => FIELD_NAMES[part]))
    .filter(Boolean)
    .map((field) => FIELD_NAMES[field])
  return Array.from(new Set(names)).join('、')
}

/** Turns a non-2xx answer into an ApiError with a Chinese message. */
function errorFromResponse({ statusCode, data, header }) {
  const body = data && typeof data === 'object' ? data : {}
  const code = body.code || 'http'
  const options = { statusCode }
  if (statusCode === 429 || code === 'rate_limited') {
    const seconds = Math.ceil(Number(headerValue(header, 'retry-after'))) || 0
    const wait = seconds > 0 ? `请 ${seconds} 秒后再试` : '请稍后再试'
    return new ApiError('rate_limited', `请求太频繁了，${wait}`, { ...options, retryAfterSeconds: seconds })
  }
  if (statusCode === 404 || code === 'not_found') {
    return new ApiError('not_found', '没有找到，它可能已过期', options)
  }
  if (code === 'invalid_request' || statusCode === 400 || statusCode === 422) {
    const details = Array.isArray(body.details) ? body.details : []
    const names = describeInvalidFields(details)
    const message = names ? `${names}不符合要求，请修改后再试` : '请求内容不符合要求，请修改后再试'
    const fields = details.map((detail) => String((detail && detail.field) || ''))
    return new ApiError('invalid_request', message, { ...options, fields })
  }
  if (code === 'douban_unavailable') {
    const seconds = Math.ceil(Number(headerValue(header, 'retry-after'))) || 0
    return new ApiError(code, '豆瓣暂时无法访问，请稍后再试', { ...options, retryAfterSeconds: seconds })
  }
  if (statusCode >= 500) {
    return new ApiError(code, '服务器开小差了，请稍后再试', options)
  }
  return new ApiError(code, `请求没有成功（${statusCode}），请稍后再试`, options)
}

/** Turns a wx.request `fail` (no HTTP answer at all) into an ApiError. */
function errorFromFailure({ errMsg = '' } = {}) {
  if (/timeout|超时/i.test(errMsg)) {
    return new ApiError('timeout', '服务器响应超时，请检查网络后重试')
  }
  if (/domain list|合法域名/i.test(errMsg)) {
    // Only developers meet this: the API host is not a request legal domain yet.
    return new ApiError('domain', '接口域名未加入 request 合法域名，请在开发者工具勾选“不校验合法域名”')
  }
  return new ApiError('network', '网络连接不上，请检查网络后重试')
}

function request(method, path, data, timeout = REQUEST_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    // A build without a usable API address says so rather than calling somewhere WeChat refuses.
    const { apiBase, problem } = config.apiConfig()
    if (problem) {
      reject(new ApiError('config', problem))
      return
    }
    wx.request({
      url: `${apiBase}${path}`,
      method,
      data,
      header: { 'content-type': 'application/json' },
      timeout,
      success(response) {
        const ok = response.statusCode >= 200 && response.statusCode < 300
        if (!ok) reject(errorFromResponse(response))
        else if (response.data && typeof response.data === 'object') resolve(response.data)
        else reject(new ApiError('bad_response', '服务器返回的数据无法识别，请稍后再试', response))
      },
      fail(failure) {
        reject(errorFromFailure(failure))
      },
    })
  })
}

/** POST /recommendations: resolves `{id, status}`. */
function createRecommendation(body) {
  return request('POST', '/recommendations', body)
}

/** GET /recommendations/{id}: resolves the whole recommendation view. */
function getRecommendation(id) {
  return request('GET', `/recommendations/${encodeURIComponent(id)}`)
}

/** GET /movies/{douban_id}: resolves `{douban, source, partial}`, the movie by its Douban id alone. */
function getMovie(doubanId) {
  return request('GET', `/movies/${encodeURIComponent(doubanId)}`, undefined, MOVIE_TIMEOUT_MS)
}

function isFinal(view) {
  return FINAL_STATUSES.includes(view.status)
}

/** Some card shown is `partial`: Douban's search entry only, completed by the backend later. */
function hasPartial(view) {
  return (view.movies || []).some((movie) => movie.status === 'found' && movie.partial)
}

/**
 * Polls one recommendation until it is done or failed.
 *
 * `start()` fetches at once, then waits 0.5 s, 0.75 s … up to 3 s between polls.
 * `stop()` (e.g. the page is hidden) cancels the next poll and ignores any answer
 * still on its way; `start()` again resumes with quick polls.
 *
 * A request that is done while some cards are still `partial` is polled a few
 * more times, every 10 s, until none is; failures then are not reported (the
 * cards are all there). `start()` after `stop()`, or after those polls ran out,
 * fetches at once and allows as many again.
 */
function pollRecommendation(id, { onUpdate, onError }) {
  let timer = null
  let delay = POLL.initialDelayMs
  let retries = 0
  let generation = 0 // bumped on every start/stop so stale answers are dropped
  let running = false
  let finished = false
  let completing = false // done, but waiting for partial cards to complete
  let completionPolls = 0

  function scheduleNext(waitMs) {
    timer = setTimeout(poll, waitMs)
    delay = Math.min(delay * POLL.factor, POLL.maxDelayMs)
  }

  function scheduleCompletion() {
    if (completionPolls >= COMPLETION.maxPolls) {
      running = false // idle until start()
      return
    }
    completionPolls += 1
    timer = setTimeout(poll, COMPLETION.delayMs)
  }

  function finish() {
    running = false
    finished = true
  }

  async function poll() {
    const current = generation
    let view
    try {
      view = await getRecommendation(id)
    } catch (error) {
      if (current !== generation) return
      if (completing) {
        if (error.transient) scheduleCompletion()
        else finish()
        return
      }
      if (error.transient && retries < POLL.maxRetries) {
        retries += 1
        scheduleNext(Math.max(delay, error.retryAfterSeconds * 1000))
        return
      }
      running = false
      onError(error)
      return
    }
    if (current !== generation) return
    retries = 0
    completing = view.status === 'done' && hasPartial(view)
    if (isFinal(view) && !completing) finish()
    onUpdate(view)
    if (finished) return
    if (completing) scheduleCompletion()
    else scheduleNext(delay)
  }

  return {
    start() {
      if (running || finished) return
      running = true
      generation += 1
      delay = POLL.initialDelayMs
      retries = 0
      completionPolls = 0
      poll()
    },
    stop() {
      running = false
      generation += 1
      clearTimeout(timer)
    },
    get running() {
      return running
    },
    get finished() {
      return finished
    },
  }
}

module.exports = {
  ApiError,
  POLL,
  COMPLETION,
  REQUEST_TIMEOUT_MS,
  MOVIE_TIMEOUT_MS,
  createRecommendation,
  getRecommendation,
  getMovie,
  pollRecommendation,
  isFinal,
  hasPartial,
}
