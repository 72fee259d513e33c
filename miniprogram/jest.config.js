module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/**/*.test.js'],
  setupFilesAfterEnv: ['<rootDir>/tests/helpers/setup.js'],
  // Polling runs on timers: every test drives time itself.
  fakeTimers: { enableGlobally: true },
  restoreMocks: true,
}
