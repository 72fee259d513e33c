/**
 * Page paths and the query strings they take, so no page spells another's URL.
 */
const { validateQuery } = require('./query')

const PAGES = {
  home: '/pages/home/index',
  results: '/pages/results/index',
  movie: '/pages/movie/index',
  my: '/pages/my/index',
  agreement: '/pages/agreement/index',
}

// Request ids are uuids; anything else in a link is not one (nothing is polled for it).
const REQUEST_ID = /^[0-9A-Za-z-]{1,64}$/

/**
 * The results of `query`; with `requestId`, that request is shown (no new
 * one) while it exists, and `query` is asked again once it has expired.
 */
function resultsUrl(query, requestId = '') {
  const id = requestId ? `&id=${requestId}` : ''
  return `${PAGES.results}?q=${encodeURIComponent(JSON.stringify(query))}${id}`
}

/** The results of one request by its id alone, as a shared link opens them. */
function sharedResultsPath(requestId) {
  return `${PAGES.results}?id=${requestId}`
}

/** The request id a results page was opened with, or ''. */
function requestIdFromOptions(options) {
  const id = (options && options.id) || ''
  return REQUEST_ID.test(id) ? id : ''
}

/** The query a results page was opened with, or null when it is missing or invalid. */
function queryFromOptions(options) {
  const raw = (options && options.q) || ''
  try {
    // Depending on the base library the value arrives still percent-encoded or already decoded.
    const query = JSON.parse(raw.startsWith('%') ? decodeURIComponent(raw) : raw)
    return validateQuery(query) ? null : query
  } catch (error) {
    return null
  }
}

/**
 * A movie is addressed by its Douban id, which is enough to open it; the
 * request and rank it came from add the recommendation's reason while that
 * request exists.
 */
function movieUrl({ doubanId, requestId = '', rank = 0 }) {
  return requestId ? `${PAGES.movie}?id=${doubanId}&rid=${requestId}&rank=${rank}` : `${PAGES.movie}?id=${doubanId}`
}

function movieFromOptions(options = {}) {
  const doubanId = options.id || ''
  const requestId = options.rid || ''
  return {
    doubanId: /^\d{1,12}$/.test(doubanId) ? doubanId : '',
    requestId: REQUEST_ID.test(requestId) ? requestId : '',
    rank: Number(options.rank) || 0,
  }
}

/** The 用户协议 (`terms`) or the 隐私政策 (`privacy`). */
function agreementUrl(doc) {
  return `${PAGES.agreement}?doc=${doc}`
}

// What a tab page is asked to do when it is next shown: wx.switchTab takes no query.
const INTENT_KEY = 'movierec:intent'

/** Switches to the My tab and opens 导入豆瓣记录 there. */
function openImport() {
  wx.setStorageSync(INTENT_KEY, 'import')
  wx.switchTab({ url: PAGES.my })
}

/** Whether the page was asked to do `intent`; asking is forgotten once read. */
function takeIntent(intent) {
  if (wx.getStorageSync(INTENT_KEY) !== intent) return false
  wx.removeStorageSync(INTENT_KEY)
  return true
}

module.exports = {
  PAGES,
  openImport,
  takeIntent,
  resultsUrl,
  sharedResultsPath,
  requestIdFromOptions,
  queryFromOptions,
  movieUrl,
  movieFromOptions,
  agreementUrl,
}
