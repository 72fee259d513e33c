// miniprogram-simulate defines the `Component` constructor and a `wx` full of no-op mocks.
require('miniprogram-simulate')
const { installWx } = require('./wx')

beforeEach(() => {
  installWx()
})

afterEach(() => {
  // A poller left running by one test must not answer in the next.
  jest.clearAllTimers()
})
