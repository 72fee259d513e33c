/**
 * The person's agreement to the 用户协议 and 隐私政策, asked on first use,
 * before anything leaves the phone: no call to the API (signing in included)
 * goes before it. It is recorded on the phone with the version of the texts
 * agreed to and when (`{ version, at }`); a new version of the texts asks
 * again, and so does erasing one's data.
 *
 * Whoever needs the agreement waits on `ready()`; while nobody has answered,
 * the consent sheet of the page in view shows (components/consent-sheet
 * attaches itself when its page shows). Agreeing lets every waiting call go;
 * declining fails them with an ApiError (`agreement_declined`) whose page
 * offers to ask again. Declining never closes the mini-program.
 */
const { ApiError } = require('./http')
const { AGREEMENT_VERSION } = require('./agreements')

const STORAGE_KEY = 'movierec:consent'
const DECLINED_MESSAGE = '同意《用户协议》和《隐私政策》后才能为你推荐'

let waiting = [] // { resolve, reject } of every call waiting for an answer
let asking = false
let sheet = null // show(boolean) of the consent sheet in view, or null

function record() {
  const saved = wx.getStorageSync(STORAGE_KEY)
  return saved && saved.version === AGREEMENT_VERSION ? saved : null
}

function accepted() {
  return Boolean(record())
}

/** Shows the sheet (now, or when a page with one shows). */
function ask() {
  asking = true
  if (sheet) sheet(true)
}

/** Resolves once the person has agreed (at once if they have); rejects an ApiError if they decline. */
function ready() {
  if (accepted()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    waiting.push({ resolve, reject })
    ask()
  })
}

function answer(settle) {
  const answered = waiting
  waiting = []
  asking = false
  if (sheet) sheet(false)
  answered.forEach(settle)
}

/** The person agreed: recorded with the version and the time, and every waiting call goes. */
function accept() {
  wx.setStorageSync(STORAGE_KEY, { version: AGREEMENT_VERSION, at: Date.now() })
  answer(({ resolve }) => resolve())
}

/** The person declined: nothing is sent, and what waited fails with a message that says why. */
function decline() {
  answer(({ reject }) => reject(new ApiError('agreement_declined', DECLINED_MESSAGE)))
}

/**
 * The consent sheet of the page now in view: `show(true)` when it should
 * appear. Returns the detach function for when the page hides.
 */
function attach(show) {
  sheet = show
  if (asking) show(true)
  return () => {
    if (sheet === show) sheet = null
  }
}

module.exports = { STORAGE_KEY, DECLINED_MESSAGE, accepted, record, ready, ask, accept, decline, attach }
