/**
 * `make screenshots`, step 1: every page in each state a person meets, driven
 * through the real pages with miniprogram-simulate and a scripted API (the same
 * helpers as the Jest suite). Each state is saved as the page's rendered tree
 * (build/screenshots/states/<name>.json); shoot.js draws them in Chromium.
 */
const fs = require('fs')
const path = require('path')
const { openPage, fire, flush, wait, all, text } = require('../../tests/helpers/render')
const { createBackend, reply, offline } = require('../../tests/helpers/backend')
const { queryOf } = require('../../tests/helpers/wx')
const { resultsUrl, movieUrl } = require('../../src/utils/routes')
const storage = require('../../src/utils/storage')
const { TITLES, found, pending, notFound, partial, RECORDS } = require('./catalog')

const OUT = path.resolve(__dirname, '../../build/screenshots/states')
const QUERY = { mode: 'tags', tags: ['科幻', '悬疑'], count: 8 }

let backend
beforeAll(() => fs.mkdirSync(OUT, { recursive: true }))
beforeEach(() => {
  backend = createBackend()
})

/** Douban's posters fade in once loaded: tell each poster of the page its image has loaded. */
async function loadPosters(page) {
  const hosts = ['.hero__backdrop', '.hero__poster', '.row__poster'].flatMap((selector) => all(page, selector))
  all(page, '.card').forEach((card) => hosts.push(...all(card, '.poster-box__fill')))
  hosts.forEach((host) => {
    const image = host.querySelector('.image')
    if (image) image.dispatchEvent('load')
  })
  await flush()
}

/** Saves the page as it stands, with the title its navigation bar shows. */
async function capture(name, page, pagePath) {
  await loadPosters(page)
  const titles = wx.setNavigationBarTitle.mock.calls
  const title = titles.length ? titles[titles.length - 1][0].title : ''
  fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify({ name, pagePath, title, tree: page.toJSON() }))
}

function view(id, status, movies, extra = {}) {
  return { id, mode: 'tags', query: '科幻、悬疑', status, count: 8, movies, error: null, ...extra }
}

const allFound = (id) =>
  view(
    id,
    'done',
    TITLES.map((title, index) => found(index + 1, title)),
  )

function seedHistory() {
  const longAgo = Date.now() - 40 * 24 * 3600 * 1000 // its request has expired: asked again when tapped
  storage.history.add({
    ...storage.historyEntry({ mode: 'star', star: '周星驰', count: 5 }, '周星驰', 'req-0'),
    at: longAgo,
  })
  storage.history.add(storage.historyEntry({ mode: 'theme', theme: '时间循环', count: 8 }, '时间循环', 'req-2'))
  storage.history.add(storage.historyEntry(QUERY, '科幻、悬疑', 'req-1'))
}

function seedSeenAndFavourites() {
  ;['盗梦空间', '星际穿越', '楚门的世界'].forEach((title) => {
    const { douban } = RECORDS[title]
    storage.seen.add(storage.seenEntry({ doubanId: douban.id, title, year: douban.year }))
  })
  storage.seen.add(storage.seenEntry({ title: '霸王别姬' }))
  ;['禁闭岛', '致命魔术', '记忆碎片'].forEach((title, index) => {
    const { douban, reason } = RECORDS[title]
    storage.favourites.add(storage.favouriteEntry({ douban, reason, requestId: 'req-1', rank: index + 1 }))
  })
}

async function chooseMode(page, label) {
  all(page.querySelector('.modes'), '.segment')
    .find((each) => text(each) === label)
    .dispatchEvent('tap')
  await flush()
}

describe('home', () => {
  test('tags', async () => {
    const page = await openPage('home')
    for (const tag of ['科幻', '悬疑']) {
      all(page.querySelector('.tags'), '.chip')
        .find((each) => text(each) === tag)
        .dispatchEvent('tap')
      await flush()
    }
    await capture('home-tags', page, 'pages/home/index')
  })

  test('theme', async () => {
    seedHistory()
    const page = await openPage('home')
    await chooseMode(page, '相似主题')
    await fire(page, '.example-chip')
    await capture('home-theme', page, 'pages/home/index')
  })

  test('star', async () => {
    const page = await openPage('home')
    await chooseMode(page, '电影明星')
    await capture('home-star', page, 'pages/home/index')
  })
})

describe('results', () => {
  const openResults = () => openPage('results', queryOf(resultsUrl(QUERY)))

  test('thinking', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'pending', []))
    const page = await openResults()
    await wait(500)
    await capture('results-thinking', page, 'pages/results/index')
  })

  test('filling', async () => {
    backend.onCreate('req-1')
    const movies = TITLES.map((title, index) => (index < 3 ? found(index + 1, title) : pending(index + 1, title)))
    movies[1] = notFound(2, '不存在的电影')
    backend.onPoll('req-1', view('req-1', 'running', movies))
    const page = await openResults()
    await wait(500)
    await capture('results-filling', page, 'pages/results/index')
  })

  test('done', async () => {
    backend.onCreate('req-1')
    const movies = TITLES.map((title, index) => found(index + 1, title))
    movies.splice(3, 0, notFound(4, '不存在的电影'))
    movies.forEach((movie, index) => Object.assign(movie, { rank: index + 1 }))
    movies[6] = partial(7, TITLES[5])
    backend.onPoll('req-1', view('req-1', 'done', movies))
    const page = await openResults()
    await wait(500)
    await capture('results-done', page, 'pages/results/index')
  })

  test('empty', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'done', [notFound(1, '不存在的电影'), notFound(2, '另一部')]))
    const page = await openResults()
    await wait(500)
    await capture('results-empty', page, 'pages/results/index')
  })

  test('error', async () => {
    backend.onCreate('req-1')
    const error = { code: 'llm_unavailable', message: '推荐服务暂时不可用，请稍后再试。' }
    backend.onPoll('req-1', view('req-1', 'failed', [], { error }))
    const page = await openResults()
    await wait(500)
    await capture('results-error', page, 'pages/results/index')
  })

  test('expired: a shared link to a request that no longer exists', async () => {
    const page = await openPage('results', { id: '6f1c1d7e-2a4b-4c8e-9a57-0f6b8f7e1a2b' })
    await capture('results-expired', page, 'pages/results/index')
  })

  test('offline', async () => {
    backend.onCreate(offline())
    const page = await openResults()
    await capture('results-offline', page, 'pages/results/index')
  })
})

describe('movie', () => {
  const INCEPTION = { doubanId: RECORDS['盗梦空间'].douban.id, requestId: 'req-1', rank: 1 }
  const openMovie = () => openPage('movie', queryOf(movieUrl(INCEPTION)))

  test('full', async () => {
    backend.onPoll('req-1', allFound('req-1'))
    const page = await openMovie()
    await capture('movie-full', page, 'pages/movie/index')
  })

  test('partial', async () => {
    backend.onPoll('req-1', view('req-1', 'done', [partial(1, '盗梦空间')]))
    const page = await openMovie()
    await capture('movie-partial', page, 'pages/movie/index')
  })

  test('opened by its Douban id alone (a shared link whose request expired)', async () => {
    const { douban } = RECORDS['星际穿越']
    backend.onMovie(douban.id, { douban, source: 'cache', partial: false })
    const page = await openPage('movie', queryOf(movieUrl({ doubanId: douban.id })))
    await capture('movie-by-id', page, 'pages/movie/index')
  })

  test('error: Douban cannot be read now', async () => {
    const unavailable = { code: 'douban_unavailable', message: '豆瓣暂时无法访问，请稍后再试。', details: [] }
    backend.onMovie('1292052', reply(503, unavailable, { 'Retry-After': '30' }))
    const page = await openPage('movie', { id: '1292052' })
    await capture('movie-error', page, 'pages/movie/index')
  })

  test('missing: Douban does not know the id', async () => {
    const page = await openPage('movie', { id: '999999999' })
    await capture('movie-missing', page, 'pages/movie/index')
  })
})

describe('my', () => {
  async function openTab(label) {
    const page = await openPage('my')
    all(page.querySelector('.tabs'), '.segment')
      .find((tab) => text(tab).startsWith(label))
      .dispatchEvent('tap')
    await flush()
    return page
  }

  test('history', async () => {
    seedHistory()
    seedSeenAndFavourites()
    await capture('my-history', await openTab('历史'), 'pages/my/index')
  })

  test('seen', async () => {
    seedSeenAndFavourites()
    await capture('my-seen', await openTab('看过'), 'pages/my/index')
  })

  test('favourites', async () => {
    seedSeenAndFavourites()
    await capture('my-favourites', await openTab('收藏'), 'pages/my/index')
  })

  test('empty', async () => {
    await capture('my-empty', await openTab('历史'), 'pages/my/index')
  })
})
