/**
 * One HTTPS call to the movierec API (the only caller of wx.request), and the
 * errors it can end in: every failure becomes an ApiError whose message a
 * person can read. Signing in and retrying after a 401 are api.js's business.
 */
const config = require('../config')

const REQUEST_TIMEOUT_MS = 10000

const FIELD_NAMES = {
  tags: '兴趣标签',
  theme: '主题',
  star: '明星名字',
  mood: '心情',
  refine: '调整要求',
  liked: '喜欢的电影',
  disliked: '不感兴趣的电影',
  filters: '筛选条件',
  count: '推荐数量',
  exclude: '看过列表',
  previous: '上一批推荐',
  user: '豆瓣 ID',
  content: '文件',
  kind: '反馈类型',
  text: '补充说明',
}

// Whatever a server message says, it is only shown when it is written in Chinese: English ones are for developers.
const CHINESE = /[\u4e00-\u9fff]/

class ApiError extends Error {
  /**
   * @param {string} code network | timeout | domain | config | http | bad_response | a server code such as rate_limited
   * @param {string} message shown to the person as is
   */
  constructor(code, message, { statusCode = 0, retryAfterSeconds = 0, fields = [], serverMessage = '' } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.statusCode = statusCode
    this.retryAfterSeconds = retryAfterSeconds
    this.fields = fields // the `field` of each detail of an invalid_request, e.g. "tags.0"
    this.serverMessage = serverMessage // the answer's own `message` when it is written for people (Chinese), else ''
  }

  /** The request was refused because of `field` (e.g. "previous"; "tags" for "tags.0"). */
  refused(field) {
    return (
      ['invalid_request', 'content_rejected'].includes(this.code) &&
      this.fields.some((each) => fieldParts(each).includes(field))
    )
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

/** "30 秒", "5 分钟", "3 小时": how long Retry-After asks to wait, as a person says it. */
function waitText(seconds) {
  if (seconds <= 90) return `${seconds} 秒`
  if (seconds <= 90 * 60) return `${Math.ceil(seconds / 60)} 分钟`
  return `${Math.ceil(seconds / 3600)} 小时`
}

function retryAfter(header) {
  return Math.ceil(Number(headerValue(header, 'retry-after'))) || 0
}

/**
 * 429: too many requests (`rate_limited`) or the day's budget spent
 * (`daily_limit_reached`). The server's message is written for people; it is
 * used when it is Chinese, else one is made from Retry-After.
 */
function limitError(body, header, options) {
  const seconds = retryAfter(header)
  const code = body.code === 'daily_limit_reached' ? body.code : 'rate_limited'
  const made =
    code === 'daily_limit_reached'
      ? '今天的推荐次数用完了，明天再来吧'
      : `请求太频繁了，${seconds > 0 ? `请 ${waitText(seconds)}后再试` : '请稍后再试'}`
  return new ApiError(code, options.serverMessage || made, { ...options, retryAfterSeconds: seconds })
}

/** Turns a non-2xx answer into an ApiError with a Chinese message. */
function errorFromResponse({ statusCode, data, header }) {
  const body = data && typeof data === 'object' ? data : {}
  const code = body.code || 'http'
  const details = Array.isArray(body.details) ? body.details : []
  const serverMessage = typeof body.message === 'string' && CHINESE.test(body.message) ? body.message.trim() : ''
  const options = { statusCode, serverMessage, fields: details.map((detail) => String((detail && detail.field) || '')) }
  if (statusCode === 429 || code === 'rate_limited') return limitError(body, header, options)
  if (statusCode === 401) return new ApiError('unauthorized', '微信登录没有成功，请稍后再试', options)
  if (code === 'sign_in_blocked') {
    // WeChat's risk control blocks the account (errcode 40226): signing in again cannot help.
    return new ApiError(code, '这是微信对账号安全的限制，重新登录也无法解决，账号恢复正常后再来吧', options)
  }
  if (code === 'content_rejected') {
    // WeChat's content check refused what the person typed: they can say it another way.
    return new ApiError(code, '这段话没有通过微信的内容安全检查，换个说法试试吧', options)
  }
  if (statusCode === 404 || code === 'not_found') {
    return new ApiError('not_found', '没有找到，它可能已过期', options)
  }
  if (statusCode === 413) return new ApiError('payload_too_large', '内容太大了，服务器收不下', options)
  if (code === 'invalid_request' || statusCode === 400 || (statusCode === 422 && code === 'http')) {
    const names = describeInvalidFields(details)
    const message = names ? `${names}不符合要求，请修改后再试` : '请求内容不符合要求，请修改后再试'
    return new ApiError('invalid_request', message, options)
  }
  if (code === 'nothing_can_match') {
    // What was asked leaves no film (2030年以后): the server's message names the words, for the person.
    return new ApiError(code, options.serverMessage || '没有电影能满足这些条件，换个说法试试', options)
  }
  if (code === 'douban_unavailable') {
    const withWait = { ...options, retryAfterSeconds: retryAfter(header) }
    return new ApiError(code, '豆瓣暂时无法访问，请稍后再试', withWait)
  }
  if (code === 'content_check_unavailable') {
    return new ApiError(code, '暂时没法检查输入的内容，请稍后再试', { ...options, retryAfterSeconds: retryAfter(header) })
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

/**
 * One call; resolves the answer's JSON body, rejects an ApiError.
 * `header` adds to the JSON content type (the Authorization of a signed-in person).
 */
function request(method, path, data, { timeout = REQUEST_TIMEOUT_MS, header = {} } = {}) {
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
      header: { 'content-type': 'application/json', ...header },
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

module.exports = { ApiError, REQUEST_TIMEOUT_MS, request, waitText }
