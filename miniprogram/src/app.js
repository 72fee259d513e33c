/**
 * At launch the app signs in silently (utils/session.js) and syncs the
 * person's marks (utils/sync.js); it syncs again whenever it is shown and a
 * moment after every change of a mark. Pages keep their own state; storage
 * lives in utils/storage.js and utils/marks.js.
 */
const session = require('./utils/session')
const marks = require('./utils/marks')
const sync = require('./utils/sync')

App({
  onLaunch() {
    marks.onLocalChange(sync.soon)
    this.launched = session.start().then(() => sync.now())
  },
  onShow() {
    // Coming back from the background (not the launch itself): what changed on another phone meanwhile.
    if (this.shown) sync.soon()
    this.shown = true
  },
})
