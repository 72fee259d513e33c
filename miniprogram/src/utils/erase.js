/**
 * 删除我的数据: everything the server keeps of the person (DELETE /me: marks,
 * imports, requests, reports and sessions), then everything this phone keeps
 * (the lists, the history, the token, the agreement: the next request asks for
 * it again). Another phone of theirs keeps its own copy until it is erased
 * there too.
 */
const api = require('./api')

/**
 * Resolves the counts the server deleted, or null for a server without sign-in
 * (it keeps nobody's data: 404 sign_in_not_configured), where the phone's data
 * alone is erased. Rejects an ApiError, erasing nothing on the phone, when the
 * server could not erase (offline, down): the person can try again.
 */
async function eraseMyData() {
  let erased = null
  try {
    erased = await api.deleteMe()
  } catch (error) {
    if (error.statusCode !== 404) throw error
  }
  wx.clearStorageSync()
  return erased
}

module.exports = { eraseMyData }
