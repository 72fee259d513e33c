// `make screenshots`, step 1: renders every page state with miniprogram-simulate (see states.shot.js).
const base = require('../../jest.config')

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/tools/screenshots/*.shot.js'],
}
