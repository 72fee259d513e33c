// miniprogram-simulate defines the `Component` constructor and a `wx` full of no-op mocks.
require('miniprogram-simulate')
const { installWx, agreed } = require('./wx')

beforeEach(() => {
  installWx()
  // A person who agreed to the agreements already; tests of the first use start from firstUse().
  agreed()
})

afterEach(() => {
  // A poller left running by one test must not answer in the next.
  jest.clearAllTimers()
})
