/**
 * Turns a page rendered by miniprogram-simulate (its `toJSON()` tree) into a
 * self-contained HTML document that Chromium can draw as a phone would:
 *
 * - every class is scoped to the page or component that wrote it, as WeChat
 *   isolates component styles; `:host` styles the component's own element;
 * - WXSS becomes CSS: rpx at a 375 px wide screen (1rpx = 0.5px) and
 *   `env(safe-area-inset-bottom)` at the device's value;
 * - WeChat's built-in components (view, text, button, input, textarea, image)
 *   get their default look, and the page sits in WeChat's frame: status bar,
 *   navigation bar with the capsule, and the tab bar on tab pages.
 *
 * Nothing here runs the page: see states.shot.js for that.
 */
const fs = require('fs')
const path = require('path')
const { compile: scopeClasses } = require('miniprogram-simulate/src/wxss')

const SRC = path.resolve(__dirname, '../../src')
const APP = JSON.parse(fs.readFileSync(path.join(SRC, 'app.json'), 'utf8'))

/**
 * The phones drawn. `safeBottom` is the home indicator's inset (iPhone X and
 * later), which WeChat leaves under the tab bar on tab pages.
 */
const DEVICES = {
  '375x812': { width: 375, height: 812, statusBar: 44, safeBottom: 34 },
  '375x667': { width: 375, height: 667, statusBar: 20, safeBottom: 0 },
}
const NAV_BAR = 44
const TAB_BAR = 49
// Moments' single-page mode: WeChat's own bar at the bottom, whose 前往小程序 opens the full mini-program.
const SINGLE_PAGE_BAR = 56
const RPX = 375 / 750

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
const escape = (text) => String(text).replace(/[&<>"]/g, (char) => ESCAPES[char])

function readJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}
}

/**
 * rpx → px at 375 px, the safe-area inset as a number (Chromium has no
 * notch), and vh as WeChat means it: a share of the page's own height, below
 * the navigation bar and above the tab bar.
 */
function toCss(wxss, { safeBottom, viewportHeight }) {
  return wxss
    .replace(/(-?\d*\.?\d+)rpx/g, (_, value) => `${+(Number(value) * RPX).toFixed(2)}px`)
    .replace(/(-?\d*\.?\d+)vh/g, (_, value) => `${+((Number(value) * viewportHeight) / 100).toFixed(2)}px`)
    .replace(/env\(\s*safe-area-inset-bottom\s*\)/g, `${safeBottom}px`)
}

/** A component's WXSS with its classes prefixed by `scope` and `:host` aimed at its own element. */
function scopedCss(file, scope, device) {
  if (!fs.existsSync(file)) return ''
  const wxss = fs.readFileSync(file, 'utf8').replace(/:host/g, `[data-host="${scope}"]`)
  return toCss(scopeClasses(wxss, { prefix: scope }), device)
}

/** Where a `usingComponents` entry of the file at `fromDir` points, relative to src/. */
function resolveComponent(fromDir, target) {
  const absolute = target.startsWith('/') ? path.join(SRC, target) : path.resolve(fromDir, target)
  return path.relative(SRC, absolute)
}

/**
 * Serialises the tree, scoping classes as WeChat does, and collects the
 * stylesheets of every component met on the way.
 */
class Serializer {
  constructor(pagePath, device) {
    this.device = device
    this.styles = new Map() // scope → CSS
    this.scopes = new Map() // component path → scope name
    const pageFile = path.join(SRC, pagePath)
    this.styles.set(
      'page',
      scopedCss(path.join(SRC, 'app.wxss'), 'page', device) + scopedCss(`${pageFile}.wxss`, 'page', device),
    )
    this.pageScope = { name: 'page', dir: path.dirname(pageFile), json: readJson(`${pageFile}.json`) }
    // A component's tag (its class prefix in the tree) → its scope; "main" is the page.
    this.tagScopes = new Map([['main', this.pageScope]])
  }

  scopeFor(componentPath) {
    if (!this.scopes.has(componentPath)) {
      const name = `c${this.scopes.size}-${path.basename(path.dirname(componentPath))}`
      this.scopes.set(componentPath, name)
      this.styles.set(name, scopedCss(path.join(SRC, `${componentPath}.wxss`), name, this.device))
    }
    const file = path.join(SRC, componentPath)
    return { name: this.scopes.get(componentPath), dir: path.dirname(file), json: readJson(`${file}.json`) }
  }

  html(node, scope) {
    if (typeof node === 'string') return escape(node)
    if (node.tagName === 'main') return `<page>${this.children(node, this.pageScope)}</page>`
    // Slot content keeps the scope of the component that wrote it (states.shot.js marks each node).
    const own = (node.scope && this.tagScopes.get(node.scope)) || scope
    const attrs = Object.fromEntries(node.attrs.map(({ name, value }) => [name, value]))
    const classes = String(attrs.class || '')
      .split(/\s+/)
      .filter(Boolean)
      .map((name) => `${own.name}--${name}`)
    const common = [
      classes.length ? `class="${classes.join(' ')}"` : '',
      attrs.style ? `style="${escape(toCss(String(attrs.style), this.device))}"` : '',
      attrs.hidden ? 'hidden' : '',
      attrs.disabled ? 'disabled' : '',
    ]
    const using = (own.json.usingComponents || {})[node.tagName]
    if (using) {
      const inner = this.scopeFor(resolveComponent(own.dir, using))
      this.tagScopes.set(node.tagName, inner)
      const tag = `x-${node.tagName}`
      return `<${tag} data-host="${inner.name}" ${common.join(' ')}>${this.children(node, inner)}</${tag}>`
    }
    const tag = node.tagName.startsWith('wx-') ? node.tagName : `wx-${node.tagName}`
    return `<${tag} ${common.join(' ')}>${this.builtIn(tag, attrs, own)}${this.children(node, own)}</${tag}>`
  }

  children(node, scope) {
    return node.children.map((child) => this.html(child, scope)).join('')
  }

  /** What a built-in component draws inside itself: an image's picture, an input's text or placeholder. */
  builtIn(tag, attrs, scope) {
    if (tag === 'wx-image' && attrs.src) {
      const fit = { aspectFill: 'cover', aspectFit: 'contain' }[attrs.mode] || '100% 100%'
      return `<div class="wx-image__picture" style="background-image:url('${imageUrl(attrs.src)}');background-size:${fit}"></div>`
    }
    if (tag === 'wx-input' || tag === 'wx-textarea') {
      if (attrs.value) return `<span class="wx-input__value">${escape(attrs.value)}</span>`
      const placeholderClass = attrs.placeholderClass ? `${scope.name}--${attrs.placeholderClass}` : ''
      return `<span class="wx-input__placeholder ${placeholderClass}">${escape(attrs.placeholder || '')}</span>`
    }
    return ''
  }
}

/** Local images (the mini-program's own assets) are inlined; data: URLs pass as they are. */
function imageUrl(src) {
  if (!src.startsWith('/')) return src
  const file = path.join(SRC, src)
  const type = file.endsWith('.svg') ? 'image/svg+xml' : 'image/png'
  return `data:${type};base64,${fs.readFileSync(file).toString('base64')}`
}

// WeChat's own styles for its built-in components (base library 3.x, style v2), as far as the pages use them.
const BUILT_IN_CSS = `
wx-view { display: block; }
wx-text { display: inline; white-space: pre-wrap; }
[hidden] { display: none !important; }
x-movie-card, x-poster, x-rating-stars, x-segmented-tabs, x-skeleton, x-skeleton-card, x-state-view, x-tag-picker { display: inline; }
wx-button { position: relative; display: block; box-sizing: border-box; padding: 0 14px; border-radius: 5px;
  background: #f8f8f8; color: #000; font-size: 18px; font-weight: 700; line-height: 2.55555556; text-align: center;
  overflow: hidden; }
wx-button:not([size=mini]) { width: 184px; margin-left: auto; margin-right: auto; }
wx-button::after { content: " "; position: absolute; top: 0; left: 0; width: 200%; height: 200%; box-sizing: border-box;
  border: 1px solid rgba(0, 0, 0, 0.2); border-radius: 10px; transform: scale(0.5); transform-origin: 0 0; }
wx-button[disabled] { color: rgba(0, 0, 0, 0.3); background: #f7f7f7; }
wx-scroll-view { display: block; overflow: auto; }
wx-input { display: block; height: 1.4rem; min-height: 1.4rem; overflow: hidden; white-space: nowrap; line-height: 1.4rem; }
wx-textarea { display: block; position: relative; width: 300px; min-height: 1.4rem; }
.wx-input__placeholder { color: #999; }
wx-image { display: inline-block; position: relative; width: 320px; height: 240px; overflow: hidden; }
.wx-image__picture { position: absolute; inset: 0; background-position: center; background-repeat: no-repeat; }
`

const FRAME_CSS = `
html, body { margin: 0; padding: 0; background: #fff; }
body { font-family: -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif; -webkit-font-smoothing: antialiased; }
* { box-sizing: content-box; }
.device { position: relative; overflow: hidden; background: #fff; }
.device--full { overflow: visible; }
.status-bar { display: flex; align-items: center; justify-content: space-between; padding: 0 24px; box-sizing: border-box;
  font: 600 14px -apple-system, 'Noto Sans CJK SC', sans-serif; color: #000; }
.nav-bar { position: relative; height: ${NAV_BAR}px; display: flex; align-items: center; justify-content: center;
  font: 600 17px 'PingFang SC', 'Noto Sans CJK SC', sans-serif; color: #000; }
.nav-bar__back { position: absolute; left: 12px; top: 10px; width: 12px; height: 12px; border-left: 2.5px solid #000;
  border-bottom: 2.5px solid #000; transform: translateY(2px) rotate(45deg); }
.nav-bar__title { max-width: 200px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box; border-radius: 16px;
  border: 0.5px solid rgba(0, 0, 0, 0.15); background: rgba(255, 255, 255, 0.6); display: flex; align-items: center; }
.capsule__more, .capsule__close { flex: 1; display: flex; justify-content: center; align-items: center; gap: 3px; }
.capsule__more i { width: 4px; height: 4px; border-radius: 50%; background: #000; }
.capsule__close i { width: 14px; height: 14px; border-radius: 50%; border: 2px solid #000; box-sizing: border-box; }
.capsule__line { width: 0.5px; height: 18px; background: rgba(0, 0, 0, 0.15); }
.viewport { position: relative; overflow: hidden; transform: translateZ(0); background: var(--frame-bg); }
.device--full .viewport { overflow: visible; }
page { display: block; }
.tab-bar { display: flex; background: #fff; border-top: 0.5px solid rgba(0, 0, 0, 0.1); box-sizing: border-box; }
.tab-bar__item { flex: 1; height: ${TAB_BAR}px; display: flex; flex-direction: column; align-items: center;
  justify-content: center; font: 10px 'PingFang SC', 'Noto Sans CJK SC', sans-serif; }
.tab-bar__item img { width: 24px; height: 24px; margin-bottom: 2px; }
.single-page-bar { display: flex; align-items: center; justify-content: center; background: #f7f7f7;
  border-top: 0.5px solid rgba(0, 0, 0, 0.1); box-sizing: content-box; }
.single-page-bar span { padding: 6px 20px; border-radius: 4px; background: #07c160; color: #fff;
  font: 500 15px 'PingFang SC', 'Noto Sans CJK SC', sans-serif; }
.home-indicator { position: absolute; left: 50%; bottom: 8px; width: 134px; height: 5px; margin-left: -67px;
  border-radius: 3px; background: #000; z-index: 10; }
`

function tabBarHtml(pagePath) {
  const { tabBar } = APP
  const items = tabBar.list.map((item) => {
    const selected = item.pagePath === pagePath
    const icon = imageUrl(`/${selected ? item.selectedIconPath : item.iconPath}`)
    const colour = selected ? tabBar.selectedColor : tabBar.color
    return `<div class="tab-bar__item" style="color:${colour}"><img src="${icon}">${escape(item.text)}</div>`
  })
  return `<div class="tab-bar" style="background:${tabBar.backgroundColor}">${items.join('')}</div>`
}

function isTabPage(pagePath) {
  return APP.tabBar.list.some((item) => item.pagePath === pagePath)
}

/**
 * The whole document for one page at one device size.
 *
 * @param {object} tree the page's toJSON()
 * @param {string} pagePath e.g. "pages/home/index"
 * @param {string} title the navigation bar's title
 * @param {string} deviceName a key of DEVICES
 * @param {boolean} full draw the whole scroll height instead of the first screen
 * @param {string} frame '' for the mini-program, 'singlePage' for a Moments link: no tab bar, no
 *   way back, and WeChat's bar with 前往小程序 at the bottom (its look approximated)
 */
function pageDocument({ tree, pagePath, title, deviceName, full = false, frame = '' }) {
  const base = DEVICES[deviceName]
  const singlePage = frame === 'singlePage'
  const tabPage = isTabPage(pagePath) && !singlePage
  // On tab pages the tab bar sits over the home indicator: the page itself has no inset.
  const below = tabPage ? TAB_BAR + base.safeBottom : singlePage ? SINGLE_PAGE_BAR + base.safeBottom : 0
  const viewport = base.height - base.statusBar - NAV_BAR - below
  const device = { ...base, safeBottom: tabPage || singlePage ? 0 : base.safeBottom, viewportHeight: viewport }
  const serializer = new Serializer(pagePath, device)
  const body = serializer.html(tree, serializer.pageScope)
  const css = Array.from(serializer.styles.values()).join('\n')
  const window = { ...APP.window, ...readJson(path.join(SRC, `${pagePath}.json`)) }
  const back = pagePath !== APP.pages[0] && !tabPage && !singlePage
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=${base.width}">
<style>${FRAME_CSS}${BUILT_IN_CSS}</style>
<style>${css}</style>
</head><body>
<div class="device${full ? ' device--full' : ''}" style="width:${base.width}px;${full ? '' : `height:${base.height}px`}">
  <div class="status-bar" style="height:${base.statusBar}px;background:${window.navigationBarBackgroundColor}"><span>9:41</span><span>●●● ▮</span></div>
  <div class="nav-bar" style="background:${window.navigationBarBackgroundColor}">
    ${back ? '<i class="nav-bar__back"></i>' : ''}<span class="nav-bar__title">${escape(title || window.navigationBarTitleText || '')}</span>
    <div class="capsule"><span class="capsule__more"><i></i><i></i><i></i></span><span class="capsule__line"></span><span class="capsule__close"><i></i></span></div>
  </div>
  <div class="viewport" style="${full ? `min-height:${viewport}px` : `height:${viewport}px`};--frame-bg:${window.backgroundColor}">${body}</div>
  ${tabPage ? tabBarHtml(pagePath) : ''}
  ${tabPage && base.safeBottom ? `<div style="height:${base.safeBottom}px;background:#fff"></div>` : ''}
  ${singlePage ? `<div class="single-page-bar" style="height:${SINGLE_PAGE_BAR}px;padding-bottom:${base.safeBottom}px"><span>前往小程序</span></div>` : ''}
  ${base.safeBottom && !full ? '<div class="home-indicator"></div>' : ''}
</div>
</body></html>`
}

module.exports = { DEVICES, pageDocument, toCss }
