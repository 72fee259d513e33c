/**
 * A scripted movierec API behind wx.request, shaped like the real one:
 * POST /recommendations, GET /recommendations/{id}, POST /recommendations/{id}/share, GET /movies/{id},
 * POST /imports, POST /imports/douban-user, GET /imports/{id}, POST /sessions,
 * GET/POST /me/marks, POST /feedback and DELETE /me. It answers asynchronously like the real wx.request,
 * records every call, and replays queued answers: the last queued answer
 * repeats.
 *
 * By default it is the local stack: open, without sign-in (POST /sessions is
 * a 404 sign_in_not_configured). `requireSignIn()` makes it a deployed one:
 * every call but /sessions needs a Bearer token it issued and that has not
 * expired, or it answers 401. The marks are a real little store that merges as
 * the server does (newest updated_at per film and status wins).
 */
const { API_BASES } = require('../../src/config')

// Tests run as the develop build (tests/helpers/wx.js), which calls the local stack.
const apiBase = API_BASES.develop

/** An HTTP answer. */
function reply(statusCode, data, header = {}) {
  return { statusCode, data, header }
}

/** No HTTP answer at all, as wx.request reports a dropped connection or a timeout. */
function offline(errMsg = 'request:fail') {
  return { fail: { errMsg } }
}

function created(id) {
  return reply(202, { id, status: 'pending' })
}

/**
 * Answers in order; once they run out, the last one repeats, unless `once`:
 * then the queue is empty again and the route answers as it would unscripted.
 */
function answerQueue({ once = false } = {}) {
  const pending = []
  let last = null
  return {
    push: (answers) => pending.push(...answers),
    next() {
      if (pending.length) last = pending.shift()
      const answer = last
      if (once) last = null
      return answer
    },
    get empty() {
      return last === null && pending.length === 0
    },
  }
}

function deliver(options, answer) {
  if (answer.fail) options.fail(answer.fail)
  else if ('statusCode' in answer) options.success(answer)
  else options.success(reply(200, answer)) // a bare recommendation view
}

const NOT_FOUND = reply(404, { code: 'not_found', message: 'no such thing' })
const NO_SIGN_IN = reply(404, { code: 'sign_in_not_configured', message: 'this server runs without sign-in' })
const UNAUTHORIZED = reply(401, { code: 'unauthorized', message: 'sign in first' })
// As the server: a page of changes ends this far back, so that none is missed between syncs.
const SYNC_OVERLAP_MS = 5000

/** The server's marks table: per film and status the newest updated_at wins, removals stay as tombstones. */
function markStore() {
  const stored = new Map() // key → { mark, syncedAt }
  const keyOf = (mark) => `${mark.douban_id ? `douban:${mark.douban_id}` : `title:${mark.title}`}#${mark.status}`
  return {
    merge(marks) {
      const now = Date.now()
      return marks.map((sent) => {
        const mark = { ...sent, updated_at: Math.min(sent.updated_at, now) }
        const current = stored.get(keyOf(mark))
        if (current && current.mark.updated_at >= mark.updated_at) return current.mark
        stored.set(keyOf(mark), { mark, syncedAt: now })
        return mark
      })
    },
    changedSince(since) {
      const marks = Array.from(stored.values())
        .filter((item) => since === null || item.syncedAt > since)
        .map((item) => item.mark)
      return { marks, next_since: Math.max(0, Date.now() - SYNC_OVERLAP_MS) }
    },
    all: () => Array.from(stored.values()).map((item) => item.mark),
    clear: () => stored.clear(),
    put: (...marks) => marks.forEach((mark) => stored.set(keyOf(mark), { mark, syncedAt: Date.now() })),
  }
}

function createBackend() {
  const calls = []
  const creations = answerQueue()
  const polls = new Map()
  const movies = new Map()
  const signIns = answerQueue({ once: true })
  const fileImports = answerQueue()
  const userImports = answerQueue()
  const importPolls = new Map()
  const marksAnswers = answerQueue({ once: true }) // scripted answers to /me/marks, ahead of the store
  const marks = markStore()
  const feedbackAnswers = answerQueue({ once: true }) // scripted answers to POST /feedback, ahead of keeping it
  const erasures = answerQueue({ once: true }) // scripted answers to DELETE /me, ahead of erasing
  const tokens = new Map() // token → expires at (ms)
  let signInRequired = false
  let issued = 0

  function queued(map, id) {
    return map.has(id) ? map.get(id).next() : NOT_FOUND
  }

  function signIn() {
    if (!signIns.empty) return signIns.next()
    if (!signInRequired) return NO_SIGN_IN
    issued += 1
    const token = `token-${issued}-${'x'.repeat(32)}`
    tokens.set(token, Date.now() + 7200 * 1000)
    return reply(200, { token, expires_in: 7200 })
  }

  function authorized(header) {
    const [, token] = String(header.Authorization || '').match(/^Bearer (\S+)$/) || []
    return Boolean(token) && tokens.has(token) && tokens.get(token) > Date.now()
  }

  function marksAnswer(method, query, data) {
    if (!marksAnswers.empty) return marksAnswers.next()
    if (!signInRequired) return NO_SIGN_IN
    if (method === 'POST') return reply(200, { marks: marks.merge(data.marks) })
    const since = query.match(/since=(\d+)/)
    return reply(200, marks.changedSince(since ? Number(since[1]) : null))
  }

  /** As the server: kept, and a card of a request hidden from its reporter. */
  function feedbackAnswer(data) {
    if (!feedbackAnswers.empty) return feedbackAnswers.next()
    return reply(201, { id: `report-${callsTo('POST', '/feedback').length}`, hidden: Boolean(data.request_id) })
  }

  /** As the server: the person's marks and every session gone (a token no longer works). */
  function erasure() {
    if (!erasures.empty) return erasures.next()
    if (!signInRequired) return NO_SIGN_IN
    const erased = { marks: marks.all().length, imports: 0, requests: 0, reports: 0, sessions: tokens.size }
    marks.clear()
    tokens.clear()
    return reply(200, erased)
  }

  function answerFor({ method, url, data, header }) {
    const [path, query = ''] = url.slice(apiBase.length).split('?')
    if (method === 'POST' && path === '/sessions') return signIn()
    if (signInRequired && !authorized(header || {})) return UNAUTHORIZED
    if (method === 'POST' && path === '/recommendations' && !creations.empty) return creations.next()
    if (path === '/me/marks') return marksAnswer(method, query, data)
    if (method === 'POST' && path === '/feedback') return feedbackAnswer(data)
    if (method === 'DELETE' && path === '/me') return erasure()
    if (method === 'POST' && path === '/imports' && !fileImports.empty) return fileImports.next()
    if (method === 'POST' && path === '/imports/douban-user' && !userImports.empty) return userImports.next()
    const [, importId] = path.match(/^\/imports\/([^/]+)$/) || []
    if (method === 'GET' && importId) return queued(importPolls, importId)
    const [, id] = path.match(/^\/recommendations\/([^/]+)$/) || []
    if (method === 'GET' && id) return queued(polls, id)
    const [, sharedId] = path.match(/^\/recommendations\/([^/]+)\/share$/) || []
    if (method === 'POST' && sharedId) return polls.has(sharedId) ? reply(200, { id: sharedId, shared: true }) : NOT_FOUND
    const [, doubanId] = path.match(/^\/movies\/([^/]+)$/) || []
    if (method === 'GET' && doubanId) return queued(movies, doubanId)
    throw new Error(`unexpected request: ${method} ${url}`)
  }

  wx.request = jest.fn((options) => {
    calls.push(options)
    const answer = answerFor(options)
    Promise.resolve().then(() => deliver(options, answer))
    return { abort: jest.fn() }
  })

  const scripted = (answers) => {
    const queue = answerQueue()
    queue.push(answers)
    return queue
  }
  const callsTo = (method, path) =>
    calls.filter((call) => call.method === method && call.url.slice(apiBase.length).split('?')[0] === path)

  return {
    calls,
    /** Bodies of every POST /recommendations, in order. */
    posted: () => callsTo('POST', '/recommendations').map((call) => call.data),
    /** How many GET /recommendations/{id} were made. */
    pollCount: (id) => callsTo('GET', `/recommendations/${id}`).length,
    /** How many GET /movies/{doubanId} were made. */
    movieCount: (doubanId) => calls.filter((call) => call.url.endsWith(`/movies/${doubanId}`)).length,
    /** The calls to one route, e.g. callsTo('POST', '/me/marks'). */
    callsTo,
    /** Queues answers to POST /recommendations: ids become 202 answers. */
    onCreate(...answers) {
      creations.push(answers.map((answer) => (typeof answer === 'string' ? created(answer) : answer)))
    },
    /** Sets the answers to GET /recommendations/{id}: views, reply(...) or offline(). */
    onPoll(id, ...answers) {
      polls.set(id, scripted(answers))
    },
    /** Sets the answers to GET /movies/{doubanId}: cards ({douban, source, partial}), reply(...) or offline(). */
    onMovie(doubanId, ...answers) {
      movies.set(doubanId, scripted(answers))
    },
    /** Queues answers to POST /imports: `{format, entries, skipped}` bodies, reply(...) or offline(). */
    onImportFile(...answers) {
      fileImports.push(answers)
    },
    /** Queues answers to POST /imports/douban-user: ids become 202 answers. */
    onImportUser(...answers) {
      userImports.push(answers.map((answer) => (typeof answer === 'string' ? created(answer) : answer)))
    },
    /** Sets the answers to GET /imports/{id}. */
    onImportPoll(id, ...answers) {
      importPolls.set(id, scripted(answers))
    },
    /** A deployed server: sign-in configured, every other call needs a token it issued. */
    requireSignIn() {
      signInRequired = true
    },
    /** Queues answers to POST /sessions ahead of the tokens it issues. */
    onSignIn(...answers) {
      signIns.push(answers)
    },
    /** Queues answers to /me/marks ahead of the store (an outage, a 401 …). */
    onMarks(...answers) {
      marksAnswers.push(answers)
    },
    /** Bodies of every POST /feedback, in order. */
    reports: () => callsTo('POST', '/feedback').map((call) => call.data),
    /** Queues answers to POST /feedback ahead of keeping it (a refusal, an outage …). */
    onFeedback(...answers) {
      feedbackAnswers.push(answers)
    },
    /** Queues answers to DELETE /me ahead of erasing. */
    onErase(...answers) {
      erasures.push(answers)
    },
    /** Ends every token issued so far, as their TTL would. */
    expireTokens() {
      tokens.forEach((_, token) => tokens.set(token, 0))
    },
    /** The server's marks table. */
    marks,
  }
}

module.exports = { apiBase, createBackend, reply, offline }
