/**
 * Signing in with WeChat, silently: `wx.login` gives a one-off code, and
 * `POST /sessions {"code"}` answers `{"token", "expires_in"}` (seconds). The
 * token goes with every call as `Authorization: Bearer <token>` and is kept in
 * storage until it expires.
 *
 * A server without WeChat settings (the local stack) has no sessions: it
 * answers 404 (`sign_in_not_configured`) or 501, and the API is open. That,
 * and any failure to sign in (offline, WeChat down), means: go on without a
 * token. A call refused with a 401 signs in again and is retried once (api.js).
 *
 * An account WeChat blocks from signing in (`403 sign_in_blocked`, its errcode
 * 40226) is not asked to sign in again while the app runs: every new code
 * would be refused the same way, so the calls fail at once with that error.
 */
const http = require('./http')

// Opened from Moments (朋友圈): the page runs in single-page mode, where wx.login is not available.
const SINGLE_PAGE_SCENE = 1154

const STORAGE_KEY = 'movierec:session'
// A token this close to expiring is not sent: it could expire on the way.
const EXPIRY_MARGIN_MS = 60 * 1000
const LOGIN_TIMEOUT_MS = 10000
// A server that answers these to POST /sessions has no sign-in (the API is open).
const NO_SIGN_IN = [404, 501]

let signingIn = null // the sign-in under way, shared by every caller
let open = false // the server said it has no sign-in
let failure = null // why the last sign-in failed (an ApiError), or null
let blocked = null // WeChat blocks this account (the ApiError that said so): no sign-in can work now

function saved() {
  const session = wx.getStorageSync(STORAGE_KEY)
  return session && typeof session.token === 'string' ? session : null
}

/** The token to send, or '' when there is none that will last the call. */
function token() {
  const session = saved()
  return session && session.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? session.token : ''
}

function loginCode() {
  return new Promise((resolve, reject) => {
    wx.login({
      timeout: LOGIN_TIMEOUT_MS,
      success: ({ code }) => (code ? resolve(code) : reject(new Error('wx.login gave no code'))),
      fail: reject,
    })
  })
}

/** Whether the page runs in Moments' single-page mode, where nobody can sign in. */
function inSinglePageMode() {
  const options = typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : null
  return Boolean(options && options.scene === SINGLE_PAGE_SCENE)
}

async function attempt() {
  if (inSinglePageMode() || blocked) return false
  let answer
  try {
    answer = await http.request('POST', '/sessions', { code: await loginCode() })
  } catch (error) {
    if (NO_SIGN_IN.includes(error.statusCode)) open = true
    failure = error.name === 'ApiError' ? error : null
    if (failure && failure.code === 'sign_in_blocked') blocked = failure
    return false
  }
  const { token: issued, expires_in: expiresIn } = answer
  if (typeof issued !== 'string' || !issued || !(expiresIn > 0)) return false
  wx.setStorageSync(STORAGE_KEY, { token: issued, expiresAt: Date.now() + expiresIn * 1000 })
  open = false
  failure = null
  return true
}

/** Signs in (once, however many callers ask at the same time); resolves whether there is a token now. */
function signIn() {
  if (!signingIn) {
    signingIn = attempt().then((signedIn) => {
      signingIn = null
      return signedIn
    })
  }
  return signingIn
}

/** At launch: signs in unless the kept token still lasts. Never rejects. */
function start() {
  return token() ? Promise.resolve(true) : signIn()
}

/**
 * Resolves once a call may go: after the sign-in under way, and after signing
 * in again when the kept token has expired. A phone that never signed in is
 * not made to here: the server says with a 401 when it needs a token.
 */
function ready() {
  if (signingIn) return signingIn
  if (saved() && !token() && !open) return signIn()
  return Promise.resolve(Boolean(token()))
}

/** The Authorization header of a signed-in person, or none. */
function authHeader() {
  const current = token()
  return current ? { Authorization: `Bearer ${current}` } : {}
}

/** The server refused the token (401): it is dropped, and the next sign-in gets a new one. */
function forget() {
  wx.removeStorageSync(STORAGE_KEY)
}

module.exports = {
  STORAGE_KEY,
  start,
  signIn,
  ready,
  authHeader,
  forget,
  inSinglePageMode,
  signedIn: () => Boolean(token()),
  /** The server runs without sign-in (its answer to the last sign-in). */
  get open() {
    return open
  },
  /** Why the last sign-in failed: the ApiError of POST /sessions (offline, refused …), or null. */
  get failure() {
    return failure
  },
  /** WeChat blocks this account from signing in: the ApiError that said so (no sign-in is tried again), or null. */
  get blocked() {
    return blocked
  },
}
