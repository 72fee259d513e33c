/**
 * Replaces the `wx` APIs the mini-program uses with in-memory fakes and spies.
 * Storage keeps JSON copies, as WeChat does, so tests catch shared references.
 */
function installWx() {
  const storage = new Map()
  Object.assign(wx, {
    getStorageSync: (key) => (storage.has(key) ? JSON.parse(storage.get(key)) : ''),
    setStorageSync: (key, value) => storage.set(key, JSON.stringify(value)),
    removeStorageSync: (key) => storage.delete(key),
    navigateTo: jest.fn(),
    pageScrollTo: jest.fn(),
    showToast: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    setClipboardData: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    showShareMenu: jest.fn(),
    switchTab: jest.fn(),
    getAccountInfoSync: jest.fn(() => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } })),
    showModal: jest.fn(({ success }) => success({ confirm: true, cancel: false })),
    request: jest.fn(() => {
      throw new Error('wx.request called without a fake backend: use createBackend()')
    }),
  })
}

/** The query object a page receives in onLoad, parsed from a wx.navigateTo url. */
function queryOf(url) {
  const search = url.split('?')[1] || ''
  return Object.fromEntries(
    search
      .split('&')
      .filter(Boolean)
      .map((pair) => pair.split('=')),
  )
}

/** The last url passed to wx.navigateTo. */
function lastNavigation() {
  const { calls } = wx.navigateTo.mock
  return calls.length ? calls[calls.length - 1][0].url : ''
}

module.exports = { installWx, queryOf, lastNavigation }
