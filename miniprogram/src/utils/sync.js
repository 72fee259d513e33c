/**
 * Syncs the person's marks (marks.js) with the server when they are signed in
 * and online: first push what changed on this phone (POST /me/marks, 200 marks
 * a call; the very first sync pushes every list whole), then pull what changed
 * elsewhere since the last sync (GET /me/marks?since=…). Per film and status
 * the newest `updated_at` wins, on both sides. A failed sync changes nothing
 * and is tried again at the next chance: the app showing, or a change.
 */
const api = require('./api')
const marks = require('./marks')
const session = require('./session')

const STATE_KEY = 'movierec:sync' // { since: ms | null, pushedAll: bool }
const BATCH = 200 // the API's most marks per POST
const DEBOUNCE_MS = 3000 // a burst of taps is one sync

let running = null
let again = false
let timer = null
const listeners = []

function loadState() {
  const state = wx.getStorageSync(STATE_KEY)
  return state && typeof state === 'object' ? state : { since: null, pushedAll: false }
}

function saveState(state) {
  wx.setStorageSync(STATE_KEY, state)
}

function chunks(items, size) {
  const out = []
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size))
  return out
}

/**
 * Sends `outgoing` in batches. A batch the server refuses as invalid (a mark
 * from an older version of the app, say) is let go rather than blocking every
 * later sync; any other failure stops here, and the rest is sent next time.
 */
async function push(outgoing) {
  let changed = 0
  for (const batch of chunks(outgoing, BATCH)) {
    let standing = []
    try {
      standing = (await api.postMarks(batch)).marks
    } catch (error) {
      if (error.code !== 'invalid_request') throw error
    }
    marks.acknowledge(batch)
    changed += marks.applyRemote(standing)
  }
  return changed
}

async function run() {
  const state = loadState()
  let changed = await push(state.pushedAll ? marks.pending() : marks.allMarks())
  saveState({ ...state, pushedAll: true })
  const page = await api.getMarks(state.since)
  changed += marks.applyRemote(page.marks)
  // Without `next_since` the next pull asks for everything again: slower, never wrong.
  saveState({ since: typeof page.next_since === 'number' ? page.next_since : state.since, pushedAll: true })
  return changed
}

/**
 * Syncs now (after the one under way, if any); resolves whether it synced.
 * Does nothing without a token: an open server (the local stack) keeps no marks.
 */
function now() {
  if (running) {
    again = true
    return running
  }
  if (!session.signedIn()) return Promise.resolve(false)
  running = run()
    .then(
      (changed) => {
        if (changed) listeners.forEach((listener) => listener())
        return true
      },
      () => false,
    )
    .then((synced) => {
      running = null
      if (again) {
        again = false
        return now()
      }
      return synced
    })
  return running
}

/** Syncs a moment from now, so that a burst of changes is sent once. */
function soon() {
  clearTimeout(timer)
  timer = setTimeout(now, DEBOUNCE_MS)
}

/** Calls `listener` when a sync changed the lists on this phone; returns a function that stops it. */
function onSynced(listener) {
  listeners.push(listener)
  return () => listeners.splice(listeners.indexOf(listener), 1)
}

module.exports = { STATE_KEY, BATCH, DEBOUNCE_MS, now, soon, onSynced }
