// Pages keep their own state and storage lives in utils/storage.js: the app itself holds nothing.
App({})
