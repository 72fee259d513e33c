/**
 * `make screenshots`, step 2: draws every saved page state (states.shot.js) in
 * headless Chromium, at each phone size and once at full scroll length:
 *
 *   build/screenshots/<state>@375x812.png   the first screen of an iPhone X-sized phone
 *   build/screenshots/<state>@375x667.png   the first screen of an iPhone 8-sized phone
 *   build/screenshots/<state>@full.png      the whole page, 375 px wide
 *
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM), driven by playwright-core.
 */
const fs = require('fs')
const os = require('os')
const path = require('path')
const { chromium } = require('playwright-core')
const { DEVICES, pageDocument } = require('./document')

const BUILD = path.resolve(__dirname, '../../build/screenshots')
const STATES = path.join(BUILD, 'states')
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium'
// No sandbox (root in a container), no GPU, and nothing that would reach the network by itself.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--font-render-hinting=none',
]

async function main() {
  const states = fs.readdirSync(STATES).filter((file) => file.endsWith('.json'))
  if (!states.length) throw new Error(`no page states in ${STATES}: run the states step first`)
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'movierec-chromium-'))
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 1,
    offline: true,
  })
  try {
    const page = browser.pages()[0] || (await browser.newPage())
    for (const file of states.sort()) {
      const state = JSON.parse(fs.readFileSync(path.join(STATES, file), 'utf8'))
      const shots = Object.keys(DEVICES).map((deviceName) => ({ deviceName, full: false, suffix: deviceName }))
      shots.push({ deviceName: '375x812', full: true, suffix: 'full' })
      for (const { deviceName, full, suffix } of shots) {
        const { width, height } = DEVICES[deviceName]
        await page.setViewportSize({ width, height })
        await page.setContent(pageDocument({ ...state, deviceName, full }), { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        const output = path.join(BUILD, `${state.name}@${suffix}.png`)
        await page.screenshot({ path: output, fullPage: full, animations: 'disabled' })
      }
      console.log(`drew ${state.name}`)
    }
  } finally {
    await browser.close()
    fs.rmSync(userDataDir, { recursive: true, force: true })
  }
  console.log(`screenshots in ${path.relative(process.cwd(), BUILD)}/`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
