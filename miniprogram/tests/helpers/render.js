/**
 * Renders pages and components with miniprogram-simulate, the way WeChat
 * would: pages built with Component() get onLoad(query) and onShow().
 */
const path = require('path')
const simulate = require('miniprogram-simulate')

const SRC = path.resolve(__dirname, '../../src')
const realTimers = jest.requireActual('timers')

function load(relativePath) {
  // simulate registers a component by running its file; Jest caches modules and
  // ignores simulate's `delete require.cache[…]`, so clear the registry first.
  jest.resetModules()
  // rootPath lets absolute usingComponents paths (/components/…) resolve inside src/.
  return simulate.load(path.join(SRC, relativePath, 'index'), { rootPath: SRC })
}

function mount(relativePath, properties) {
  const comp = simulate.render(load(relativePath), properties)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

/** Lets every pending promise settle: wx.request answers and simulated events. */
function flush() {
  return new Promise((resolve) => realTimers.setImmediate(resolve))
}

// The page events its components hear through pageLifetimes, as WeChat sends them.
const PAGE_LIFETIMES = { onShow: 'show', onHide: 'hide' }

/** Calls a page lifecycle method (onLoad, onShow, onHide …) if the page defines it, and tells its components. */
async function lifecycle(page, name, ...args) {
  if (typeof page.instance[name] === 'function') page.instance[name](...args)
  if (PAGE_LIFETIMES[name]) page.triggerPageLifeTime(PAGE_LIFETIMES[name])
  await flush()
}

async function openPage(name, query = {}) {
  const page = mount(`pages/${name}`)
  await lifecycle(page, 'onLoad', query)
  await lifecycle(page, 'onShow')
  return page
}

async function renderComponent(name, properties = {}) {
  const comp = mount(`components/${name}`, properties)
  await flush()
  return comp
}

/** Fires `eventName` on the first node matching `selector` inside `root`, then settles. */
async function fire(root, selector, eventName = 'tap', detail = {}) {
  const target = root.querySelector(selector)
  if (!target) throw new Error(`nothing matches ${selector}`)
  target.dispatchEvent(eventName, { detail })
  await flush()
}

/** Taps the first node matching `selector` inside `root` whose text is `label`, then settles. */
async function tapText(root, selector, label) {
  const target = all(root, selector).find((each) => text(each) === label)
  if (!target) throw new Error(`no ${selector} reads ${label}`)
  target.dispatchEvent('tap')
  await flush()
}

/**
 * Opens the 筛选 sheet of `page` with the tap on `opener`, taps each choice in
 * `labels`, and applies them with 确定 unless `apply` is false.
 */
async function chooseFilters(page, opener, labels, { apply = true } = {}) {
  await fire(page, opener)
  const sheet = page.querySelector('.filter-sheet')
  for (const label of labels) await tapText(sheet, '.choice', label)
  if (apply) await fire(sheet, '.apply')
  return sheet
}

/** Advances fake time and lets the answers that arrive meanwhile settle. */
async function wait(ms) {
  await jest.advanceTimersByTimeAsync(ms)
  await flush()
}

function text(comp) {
  return comp.dom.textContent.replace(/\s+/g, ' ').trim()
}

function all(root, selector) {
  return root.querySelectorAll(selector)
}

/** A WXML attribute as the template set it (e.g. disabled, src, referrer-policy → referrerPolicy). */
function attr(comp, name) {
  const found = comp.toJSON().attrs.find((each) => each.name === name)
  return found ? found.value : undefined
}

module.exports = { openPage, lifecycle, renderComponent, fire, flush, wait, text, all, attr, tapText, chooseFilters }
