/**
 * Page paths and the query strings they take, so no page spells another's URL.
 */
const { validateQuery } = require('./query')

const PAGES = {
  home: '/pages/home/index',
  results: '/pages/results/index',
  movie: '/pages/movie/index',
  my: '/pages/my/index',
}

function resultsUrl(query) {
  return `${PAGES.results}?q=${encodeURIComponent(JSON.stringify(query))}`
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

/** A movie is addressed by its Douban id plus the request and rank it came from. */
function movieUrl({ doubanId, requestId, rank }) {
  return `${PAGES.movie}?id=${doubanId}&rid=${requestId}&rank=${rank}`
}

function movieFromOptions(options = {}) {
  return {
    doubanId: options.id || '',
    requestId: options.rid || '',
    rank: Number(options.rank) || 0,
  }
}

module.exports = {
  PAGES,
  resultsUrl,
  queryFromOptions,
  movieUrl,
  movieFromOptions,
}
