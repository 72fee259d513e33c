/**
 * The app itself (src/app.js): it signs in silently at launch, syncs the
 * marks, syncs again a moment after each change and when it comes back from
 * the background.
 */
const { createBackend } = require('./helpers/backend')
const { flush } = require('./helpers/render')

let backend
let app
let marks
let sync
beforeEach(() => {
  jest.resetModules()
  // The develop build has no operator's details: said at launch (tests/consent.test.js), quiet here.
  jest.spyOn(console, 'warn').mockImplementation(() => {})
  global.App = (definition) => {
    app = definition
  }
  require('../src/app')
  marks = require('../src/utils/marks')
  sync = require('../src/utils/sync')
  backend = createBackend()
})

afterEach(() => {
  delete global.App
})

const routes = () => backend.calls.map((call) => `${call.method} ${call.url.split('/').slice(3).join('/').split('?')[0]}`)

async function launch() {
  app.onLaunch()
  app.onShow()
  await app.launched
  await flush()
}

test('launching signs in silently, then syncs the marks', async () => {
  backend.requireSignIn()
  marks.toggleSeen({ doubanId: '3541415', title: '盗梦空间', year: 2010 })
  await launch()
  expect(routes()).toEqual(['POST sessions', 'POST me/marks', 'GET me/marks'])
  expect(backend.marks.all()).toHaveLength(1)
})

test('on the local stack (no sign-in) it launches without a token and syncs nothing', async () => {
  await launch()
  expect(routes()).toEqual(['POST sessions'])
  expect(wx.login).toHaveBeenCalledTimes(1)
})

test('a change of a mark is synced a moment later; coming back from the background syncs too', async () => {
  backend.requireSignIn()
  await launch()
  marks.toggleSeen({ doubanId: '1889243', title: '星际穿越', year: 2014 })
  await jest.advanceTimersByTimeAsync(sync.DEBOUNCE_MS)
  await flush()
  expect(backend.callsTo('POST', '/me/marks').map((call) => call.data.marks.length)).toEqual([1])

  app.onShow() // back from the background
  await jest.advanceTimersByTimeAsync(sync.DEBOUNCE_MS)
  await flush()
  expect(backend.callsTo('GET', '/me/marks')).toHaveLength(3)
})
