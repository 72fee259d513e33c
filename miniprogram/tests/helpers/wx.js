/**
 * Replaces the `wx` APIs the mini-program uses with in-memory fakes and spies.
 * Storage keeps JSON copies, as WeChat does, so tests catch shared references.
 */
function installWx() {
  const storage = new Map()
  files.clear()
  const fileSystem = fileSystemManager()
  Object.assign(wx, {
    getStorageSync: (key) => (storage.has(key) ? JSON.parse(storage.get(key)) : ''),
    setStorageSync: (key, value) => storage.set(key, JSON.stringify(value)),
    removeStorageSync: (key) => storage.delete(key),
    clearStorageSync: () => storage.clear(),
    navigateTo: jest.fn(),
    pageScrollTo: jest.fn(),
    showToast: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    setClipboardData: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    showShareMenu: jest.fn(),
    switchTab: jest.fn(),
    // How the mini-program was opened: 1001 is from the chat list; a test sets 1154 for a Moments link.
    getEnterOptionsSync: jest.fn(() => ({ scene: 1001, query: {} })),
    getAccountInfoSync: jest.fn(() => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } })),
    showModal: jest.fn(({ success }) => success({ confirm: true, cancel: false })),
    login: jest.fn(({ success }) => success({ code: `wx-code-${wx.login.mock.calls.length}`, errMsg: 'login:ok' })),
    navigateBack: jest.fn(),
    // The chat's file picker: nothing chosen until a test puts a file in the chat (chatFile).
    chooseMessageFile: jest.fn(({ fail }) => fail({ errMsg: 'chooseMessageFile:fail cancel' })),
    getFileSystemManager: () => fileSystem,
    request: jest.fn(() => {
      throw new Error('wx.request called without a fake backend: use createBackend()')
    }),
  })
}

// Files on the phone (temporary paths of files chosen from a chat) → their bytes.
const files = new Map()

/** The FileSystemManager, as WeChat reads a temporary file: as base64 or as utf8 text. */
function fileSystemManager() {
  return {
    readFile: jest.fn(({ filePath, encoding, success, fail }) => {
      Promise.resolve().then(() => {
        const bytes = files.get(filePath)
        if (!bytes) fail({ errMsg: `readFile:fail no such file or directory ${filePath}` })
        else success({ data: encoding === 'base64' ? bytes.toString('base64') : bytes.toString(encoding) })
      })
    }),
  }
}

/**
 * Puts a file in the chat, so that the next wx.chooseMessageFile picks it:
 * `content` a string (saved as UTF-8) or a Buffer; `size` overrides its size.
 */
function chatFile(name, content, { size } = {}) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
  const path = `wxfile://tmp_${files.size + 1}_${name}`
  files.set(path, bytes)
  const tempFile = { path, name, size: size === undefined ? bytes.length : size, type: 'file', time: 1700000000 }
  wx.chooseMessageFile.mockImplementationOnce(({ success }) => success({ tempFiles: [tempFile] }))
  return tempFile
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

// Where and in which version the app records the person's agreement (src/utils/consent.js), read from the source.
const CONSENT_KEY = 'movierec:consent'
const { AGREEMENT_VERSION } = require('../../src/utils/agreements')

/** The person agreed to the current 用户协议 and 隐私政策 (every test starts so: tests/helpers/setup.js). */
function agreed() {
  wx.setStorageSync(CONSENT_KEY, { version: AGREEMENT_VERSION, at: Date.now() })
}

/** The first use: nothing agreed to yet. */
function firstUse() {
  wx.removeStorageSync(CONSENT_KEY)
}

module.exports = { installWx, queryOf, lastNavigation, chatFile, agreed, firstUse, CONSENT_KEY }
