/**
 * The movierec API as the pages use it: each call signed in when the server
 * wants it (session.js), requests and their polling, movies, history imports,
 * the person's marks, reports (反馈/举报) and erasing the person's data. Every failure is an ApiError (http.js) whose message
 * a person can read.
 */
const http = require('./http')
const session = require('./session')
const consent = require('./consent')

const { ApiError, REQUEST_TIMEOUT_MS } = http
// GET /movies/{id} may read Douban first (the API allows itself 15 s for that).
const MOVIE_TIMEOUT_MS = 15000
// POST /imports reads a whole history file (a 豆伴 workbook of thousands of films) before it answers.
const IMPORT_TIMEOUT_MS = 30000

// Poll quickly while Douban lookups are fresh, then back off so a slow request costs little.
const POLL = {
  initialDelayMs: 500,
  maxDelayMs: 3000,
  factor: 1.5,
  // Network hiccups while polling are retried quietly this many times in a row.
  maxRetries: 3,
}

// A done request may still hold `partial` cards (built from Douban's search entry alone, while the
// deployment's Douban budget had no request to spare for their whole card), which the backend completes
// later as that budget allows, minutes at busy times: look again, slowly, so the person sees them fill in.
const COMPLETION = {
  delayMs: 15000,
  maxPolls: 24,
}

// An import by Douban id reads about 2 pages of 50 films a second: every 2 s shows it move.
const IMPORT_POLL_MS = 2000

const FINAL_STATUSES = ['done', 'failed']

/**
 * One call, signed in: once the person has agreed to the 用户协议 and 隐私政策
 * (consent.js: nothing leaves the phone before), after the launch's sign-in,
 * with the token if there is one. A 401 (no token, or one that expired) signs in again and retries the
 * call once; if that cannot be done, the 401 stands, unless signing in found
 * no network or WeChat blocks the account: then that is what the person is
 * told (and a blocked account is not signed in again, nor the call retried).
 * `withoutConsent`: the one call that must not wait for the agreement (erasing
 * one's data, which anyone may ask for, agreeing to a new version or not).
 */
async function request(method, path, data, timeout = REQUEST_TIMEOUT_MS, { withoutConsent = false } = {}) {
  if (!withoutConsent) await consent.ready()
  await session.ready()
  const send = () => http.request(method, path, data, { timeout, header: session.authHeader() })
  try {
    return await send()
  } catch (error) {
    if (error.statusCode !== 401) throw error
    if (session.blocked) throw session.blocked
    session.forget()
    if (await session.signIn()) return send()
    const { failure } = session
    throw failure && (failure.offline || failure === session.blocked) ? failure : error
  }
}

/** POST /recommendations: resolves `{id, status}`. */
function createRecommendation(body) {
  return request('POST', '/recommendations', body)
}

/** GET /recommendations/{id}: resolves the whole recommendation view. */
function getRecommendation(id) {
  return request('GET', `/recommendations/${encodeURIComponent(id)}`)
}

/**
 * POST /recommendations/{id}/share: the owner lets anyone with the id read it
 * (a link shared to a chat or Moments opens by the id alone). Resolves `{id, shared}`.
 */
function shareRecommendation(id) {
  return request('POST', `/recommendations/${encodeURIComponent(id)}/share`)
}

/** GET /movies/{douban_id}: resolves `{douban, source, partial}`, the movie by its Douban id alone. */
function getMovie(doubanId) {
  return request('GET', `/movies/${encodeURIComponent(doubanId)}`, undefined, MOVIE_TIMEOUT_MS)
}

/**
 * POST /feedback (反馈/举报): `{kind, text?}` about a card (`requestId` and
 * `rank`) or a movie opened by its Douban id alone (`doubanId`). Resolves
 * `{id, hidden}`: the server hides a reported card from this person's polls.
 */
function sendFeedback({ kind, text = '', requestId = '', rank = 0, doubanId = '' }) {
  const body = { kind }
  if (text) body.text = text
  if (requestId) Object.assign(body, { request_id: requestId, rank })
  else body.douban_id = doubanId
  return request('POST', '/feedback', body)
}

/**
 * DELETE /me: erases everything the server keeps of the signed-in person
 * (marks, imports, requests, reports, sessions). Resolves the counts deleted.
 */
function deleteMe() {
  return request('DELETE', '/me', undefined, REQUEST_TIMEOUT_MS, { withoutConsent: true })
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
 * more times, every 15 s, until none is; failures then are not reported (the
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

/**
 * POST /imports: reads a Douban history file. `file` is `{filename, content,
 * encoding}` (`encoding` "text", or "base64" for the bytes of an xlsx or zip).
 * Resolves `{format, entries: [{douban_id, title, rating, marked_at, status}], skipped}`.
 */
function importFile(file) {
  return request('POST', '/imports', file, IMPORT_TIMEOUT_MS)
}

/** POST /imports/douban-user: starts reading a person's public 看过 list; resolves `{id, status}`. */
function importDoubanUser(user) {
  return request('POST', '/imports/douban-user', { user })
}

/** GET /imports/{id}: `{id, status, entries, skipped, total, error}`. */
function getImport(id) {
  return request('GET', `/imports/${encodeURIComponent(id)}`)
}

/**
 * Polls an import by Douban id every 2 s until it is done or failed, calling
 * `onUpdate(view)` with each answer; network hiccups are retried quietly a few
 * times, then `onError(error)`. `stop()` ends it.
 */
function pollImport(id, { onUpdate, onError }) {
  let timer = null
  let stopped = false
  let retries = 0
  async function poll() {
    let view
    try {
      view = await getImport(id)
    } catch (error) {
      if (stopped) return
      if (error.transient && retries < POLL.maxRetries) {
        retries += 1
        timer = setTimeout(poll, Math.max(IMPORT_POLL_MS, error.retryAfterSeconds * 1000))
      } else onError(error)
      return
    }
    if (stopped) return
    retries = 0
    onUpdate(view)
    if (!isFinal(view)) timer = setTimeout(poll, IMPORT_POLL_MS)
  }
  poll()
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** GET /me/marks: the marks changed since `since` (ms; all of them without); `{marks, next_since}`. */
function getMarks(since) {
  return request('GET', since ? `/me/marks?since=${since}` : '/me/marks')
}

/** POST /me/marks: merges `marks` (at most 200); resolves `{marks}`, each sent film and status as it now stands. */
function postMarks(marks) {
  return request('POST', '/me/marks', { marks })
}

module.exports = {
  shareRecommendation,
  ApiError,
  POLL,
  COMPLETION,
  IMPORT_POLL_MS,
  REQUEST_TIMEOUT_MS,
  MOVIE_TIMEOUT_MS,
  IMPORT_TIMEOUT_MS,
  createRecommendation,
  getRecommendation,
  getMovie,
  pollRecommendation,
  isFinal,
  hasPartial,
  importFile,
  importDoubanUser,
  getImport,
  pollImport,
  getMarks,
  postMarks,
  sendFeedback,
  deleteMe,
}
