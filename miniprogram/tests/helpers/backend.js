/**
 * A scripted movierec API behind wx.request (POST /recommendations, GET
 * /recommendations/{id}, GET /movies/{id}). It answers asynchronously like
 * the real wx.request, records every call, and replays queued answers: the
 * last queued answer repeats.
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

/** Answers in order; once they run out, the last one repeats. */
function answerQueue() {
  const pending = []
  let last = null
  return {
    push: (answers) => pending.push(...answers),
    next() {
      if (pending.length) last = pending.shift()
      return last
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

function createBackend() {
  const calls = []
  const creations = answerQueue()
  const polls = new Map()
  const movies = new Map()

  function answerFor({ method, url }) {
    const path = url.slice(apiBase.length)
    if (method === 'POST' && path === '/recommendations' && !creations.empty) return creations.next()
    const [, id] = path.match(/^\/recommendations\/([^/]+)$/) || []
    if (method === 'GET' && id) {
      return polls.has(id) ? polls.get(id).next() : reply(404, { code: 'not_found', message: 'no such request' })
    }
    const [, doubanId] = path.match(/^\/movies\/([^/]+)$/) || []
    if (method === 'GET' && doubanId) {
      return movies.has(doubanId)
        ? movies.get(doubanId).next()
        : reply(404, { code: 'not_found', message: 'no such movie' })
    }
    throw new Error(`unexpected request: ${method} ${url}`)
  }

  wx.request = jest.fn((options) => {
    calls.push(options)
    const answer = answerFor(options)
    Promise.resolve().then(() => deliver(options, answer))
    return { abort: jest.fn() }
  })

  return {
    calls,
    /** Bodies of every POST /recommendations, in order. */
    posted: () => calls.filter((call) => call.method === 'POST').map((call) => call.data),
    /** How many GET /recommendations/{id} were made. */
    pollCount: (id) =>
      calls.filter((call) => call.method === 'GET' && call.url.endsWith(`/recommendations/${id}`)).length,
    /** How many GET /movies/{doubanId} were made. */
    movieCount: (doubanId) => calls.filter((call) => call.url.endsWith(`/movies/${doubanId}`)).length,
    /** Queues answers to POST /recommendations: ids become 202 answers. */
    onCreate(...answers) {
      creations.push(answers.map((answer) => (typeof answer === 'string' ? created(answer) : answer)))
    },
    /** Sets the answers to GET /recommendations/{id}: views, reply(...) or offline(). */
    onPoll(id, ...answers) {
      const queue = answerQueue()
      queue.push(answers)
      polls.set(id, queue)
    },
    /** Sets the answers to GET /movies/{doubanId}: cards ({douban, source, partial}), reply(...) or offline(). */
    onMovie(doubanId, ...answers) {
      const queue = answerQueue()
      queue.push(answers)
      movies.set(doubanId, queue)
    },
  }
}

module.exports = { apiBase, createBackend, reply, offline }
