/**
 * At launch, once the person has agreed to the 用户协议 and 隐私政策 (on first
 * use the page in view asks: utils/consent.js), the app signs in silently
 * (utils/session.js) and syncs the person's marks (utils/sync.js); it syncs
 * again whenever it is shown and a moment after every change of a mark. A
 * build without the operator's details (config.js) says so at once. Pages keep
 * their own state; storage lives in utils/storage.js and utils/marks.js.
 */
const session = require('./utils/session')
const marks = require('./utils/marks')
const sync = require('./utils/sync')
const consent = require('./utils/consent')
const { operatorConfig } = require('./config')

App({
  onLaunch() {
    const { missing, problem } = operatorConfig()
    // A trial or release build without them is not fit to launch: an error; the develop build only warns.
    const say = problem ? console.error : console.warn
    if (missing.length) say(`movierec: config.js 的 OPERATORS 还没有填写${missing.join('、')}，协议里会显示“未填写”`)
    marks.onLocalChange(sync.soon)
    this.launched = consent.ready().then(
      () => session.start().then(() => sync.now()),
      () => null, // declined: nothing is sent; the next call asks again
    )
  },
  onShow() {
    // Coming back from the background (not the launch itself): what changed on another phone meanwhile.
    if (this.shown) sync.soon()
    this.shown = true
  },
})
