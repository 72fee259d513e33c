/**
 * The operator's details a build carries (src/config.js OPERATORS): `withOperator(details)` gives the develop build
 * these, for the pages opened after it (each page loads its own copy of config.js). Undone after every test.
 */
const CONFIG = '../../src/config'

function withOperator(details) {
  jest.doMock(CONFIG, () => {
    const actual = jest.requireActual(CONFIG)
    actual.OPERATORS.develop = details
    return actual
  })
}

afterEach(() => jest.dontMock(CONFIG))

module.exports = { withOperator }
