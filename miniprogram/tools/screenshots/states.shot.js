/**
 * `make screenshots`, step 1: every page in each state a person meets, driven
 * through the real pages with miniprogram-simulate and a scripted API (the same
 * helpers as the Jest suite). Each state is saved as the page's rendered tree
 * (build/screenshots/states/<name>.json); shoot.js draws them in Chromium.
 */
const fs = require('fs')
const path = require('path')
const { openPage, fire, flush, wait, all, text, chooseFilters } = require('../../tests/helpers/render')
const { createBackend, reply, offline } = require('../../tests/helpers/backend')
const { queryOf, chatFile, firstUse } = require('../../tests/helpers/wx')
const { withOperator: operator } = require('../../tests/helpers/operator')
const marks = require('../../src/utils/marks')
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

/**
 * The page's rendered tree (toJSON), each element marked with the component
 * that wrote it (`scope`: its class prefix, "main" for the page). Content
 * passed into a component's <slot> sits inside that component in the tree but
 * keeps the styles of the one that wrote it, as WeChat scopes them.
 */
function scopedTree(page) {
  const scopes = []
  const visit = (node) => {
    if (node.__virtual === undefined) return // a text node
    if (!node.__virtual) scopes.push(node.classList ? node.classList._prefix : null)
    ;(node.__wxSlotChildren || []).forEach(visit)
  }
  visit(page._exparserNode)
  const tree = page.toJSON()
  let next = 0
  const mark = (node) => {
    if (typeof node === 'string') return
    node.scope = scopes[next++]
    node.children.forEach(mark)
  }
  mark(tree)
  return tree
}

/**
 * Saves the page as it stands, with the title its navigation bar shows.
 * `frame`: 'singlePage' draws it as a Moments link opens it (WeChat's bar
 * with 前往小程序 at the bottom, no tab bar).
 */
async function capture(name, page, pagePath, { frame = '' } = {}) {
  await loadPosters(page)
  const titles = wx.setNavigationBarTitle.mock.calls
  const title = titles.length ? titles[titles.length - 1][0].title : ''
  const state = { name, pagePath, title, frame, tree: scopedTree(page) }
  fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(state))
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

/** A person the app knows: films rated and kept, one not wanted. */
function seedTaste() {
  seedSeenAndFavourites()
  marks.rate({ doubanId: RECORDS['盗梦空间'].douban.id, title: '盗梦空间', year: 2010 }, 5)
  marks.rate({ doubanId: RECORDS['楚门的世界'].douban.id, title: '楚门的世界', year: 1998 }, 4)
  marks.toggleDisliked({ doubanId: '1291843', title: '电锯惊魂', year: 2004 })
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

  test('for_me: the person taste and a mood, with filters set', async () => {
    seedTaste()
    const page = await openPage('home')
    await fire(page, '.mood-input', 'input', { value: '今晚想看点轻松的' })
    page.instance.setData({ filters: { min_rating: 8, years: { from: 2010 } } })
    await flush()
    await capture('home-for-me', page, 'pages/home/index')
  })

  test('for_me: a newcomer is pointed to the import', async () => {
    const page = await openPage('home')
    await chooseMode(page, '为我推荐')
    await capture('home-for-me-new', page, 'pages/home/index')
  })

  test('a build without a usable API address says so', async () => {
    wx.getAccountInfoSync.mockReturnValue({ miniProgram: { appId: 'touristappid', envVersion: 'release', version: '1.0.0' } })
    const page = await openPage('home')
    await capture('home-config-problem', page, 'pages/home/index')
  })

  test('for_me: films seen but none liked yet', async () => {
    ;['盗梦空间', '星际穿越'].forEach((title) => {
      const { douban } = RECORDS[title]
      storage.seen.add(storage.seenEntry({ doubanId: douban.id, title, year: douban.year }))
    })
    const page = await openPage('home')
    await chooseMode(page, '为我推荐')
    await fire(page, '.mood-input', 'input', { value: '想好好哭一场' })
    await capture('home-for-me-seen', page, 'pages/home/index')
  })

  test('the 筛选 sheet open', async () => {
    const page = await openPage('home')
    await chooseFilters(page, '.filter-row', ['8 分以上', '2010 后', '美国', '日本', '恐怖'], { apply: false })
    await capture('home-filters', page, 'pages/home/index')
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

  test('done when its time ran out: a card Douban was too busy to look up says so', async () => {
    backend.onCreate('req-1')
    const movies = TITLES.slice(0, 4).map((title, index) => found(index + 1, title))
    movies[2] = { ...pending(3, TITLES[2]), status: 'failed', note: '豆瓣这会儿太忙，没来得及查到这部，请稍后再推荐一次。' }
    backend.onPoll('req-1', view('req-1', 'done', movies))
    const page = await openResults()
    await wait(500)
    await capture('results-time-ran-out', page, 'pages/results/index')
  })

  test('done, with the refine box, filters and a card marked 不感兴趣', async () => {
    seedTaste()
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'done', TITLES.slice(1, 5).map((title, index) => found(index + 1, title))))
    const page = await openPage('results', queryOf(resultsUrl({ ...QUERY, filters: { min_rating: 8, kind: 'movie' } })))
    await wait(500)
    await fire(all(page, '.card')[2], '.dislike-action')
    await capture('results-refine', page, 'pages/results/index')
  })

  test('a refinement WeChat refused', async () => {
    backend.onCreate('req-1', reply(422, { code: 'content_rejected', message: '内容未通过', details: [{ field: 'refine' }] }))
    backend.onPoll('req-1', view('req-1', 'done', TITLES.slice(0, 3).map((title, index) => found(index + 1, title))))
    const page = await openResults()
    await wait(500)
    await fire(page, '.refine__input', 'input', { value: '再来点刺激的' })
    await fire(page, '.refine__send')
    await capture('results-refine-rejected', page, 'pages/results/index')
  })

  test('the 筛选 sheet open on results', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', allFound('req-1'))
    const page = await openPage('results', queryOf(resultsUrl({ ...QUERY, filters: { countries: ['韩国'] } })))
    await wait(500)
    await fire(page, '.filter-button')
    await capture('results-filters', page, 'pages/results/index')
  })

  // 按你说的 (issue 21): the filters read from the words, as chips under the query.
  // The renders' films are American, from 2000 on: a theme they can meet, as a person would write it.
  const THEME = '2010年以后的美国悬疑片，评分8分以上，别超过两个半小时'
  const READ = [
    { field: 'countries', value: ['美国'], words: ['美国'], label: '美国', source: 'words' },
    { field: 'years', value: { from: 2010, to: null }, words: ['2010年以后'], label: '2010 年及以后', source: 'words' },
    { field: 'min_rating', value: 8, words: ['评分8分以上'], label: '豆瓣 8 分以上', source: 'words' },
    { field: 'max_runtime', value: 150, words: ['别超过两个半小时'], label: '150 分钟以内', source: 'words' },
  ]
  const RECENT = ['盗梦空间', '星际穿越', '禁闭岛', '源代码']
  const themed = { mode: 'theme', query: THEME, read_filters: READ }

  test('done, with the filters read from the words as chips', async () => {
    backend.onCreate('req-1')
    const movies = RECENT.map((title, index) => found(index + 1, title))
    movies.splice(2, 0, notFound(3, '记忆碎片'))
    movies.forEach((movie, index) => Object.assign(movie, { rank: index + 1 }))
    backend.onPoll('req-1', view('req-1', 'done', movies, themed))
    const page = await openPage('results', queryOf(resultsUrl({ mode: 'theme', theme: THEME, count: 8 })))
    await wait(500)
    await capture('results-read-filters', page, 'pages/results/index')
  })

  test('a chip removed: asked again without it', async () => {
    backend.onCreate('req-1', 'req-2')
    backend.onPoll('req-1', view('req-1', 'done', RECENT.map((title, index) => found(index + 1, title)), themed))
    const fewer = { ...themed, read_filters: READ.filter((filter) => filter.field !== 'min_rating') }
    backend.onPoll('req-2', view('req-2', 'running', [found(1, '源代码'), pending(2, '星际穿越')], fewer))
    const page = await openPage('results', queryOf(resultsUrl({ mode: 'theme', theme: THEME, count: 8 })))
    await wait(500)
    const chips = page.querySelector('.read-filter-chips')
    all(chips, '.chip').find((chip) => text(chip) === '豆瓣 8 分以上').dispatchEvent('tap')
    await wait(500)
    await capture('results-read-filter-removed', page, 'pages/results/index')
  })

  test('words that leave no film', async () => {
    const message = '「2030年以后」的电影还没有上映，豆瓣上最新的影片只到 2027 年，换个年份试试。'
    backend.onCreate(reply(422, { code: 'nothing_can_match', message, details: [{ field: 'theme', message }] }))
    const page = await openPage('results', queryOf(resultsUrl({ mode: 'theme', theme: '2030年以后的科幻片', count: 8 })))
    await capture('results-nothing-can-match', page, 'pages/results/index')
  })

  test('for_me, thinking', async () => {
    seedTaste()
    backend.onCreate('req-1')
    backend.onPoll('req-1', view('req-1', 'running', [found(1, '源代码'), pending(2, '记忆碎片')], { mode: 'for_me' }))
    const page = await openPage('results', queryOf(resultsUrl({ mode: 'for_me', mood: '今晚想看点轻松的', count: 8 })))
    await wait(500)
    await capture('results-for-me', page, 'pages/results/index')
  })

  // The request itself refused: each says why in words for people, with one action.
  const contentRejected = (field) =>
    reply(422, { code: 'content_rejected', message: '输入的内容未通过微信内容安全检查', details: [{ field }] })
  const spent = { code: 'daily_limit_reached', message: '今天的推荐次数已经用完了，明天再来吧。' }
  test.each([
    ['results-rejected', 'a theme', { mode: 'theme', theme: '一段被拒绝的话', count: 8 }, contentRejected('theme')],
    ['results-star-rejected', 'a star name', { mode: 'star', star: '某个名字', count: 8 }, contentRejected('star')],
    ['results-daily-limit', 'the day budget spent', QUERY, reply(429, spent, { 'Retry-After': '30000' })],
    [
      'results-rate-limited',
      'too many in a minute',
      QUERY,
      reply(429, { code: 'rate_limited', message: '请求太频繁了，请 20 秒后再试。' }, { 'Retry-After': '20' }),
    ],
    ['results-offline', 'no network', QUERY, offline()],
  ])('%s: refused (%s)', async (name, _, query, answer) => {
    backend.onCreate(answer)
    const page = await openPage('results', queryOf(resultsUrl(query)))
    await capture(name, page, 'pages/results/index')
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

  test('sign-in refused: WeChat does not accept the code', async () => {
    backend.requireSignIn()
    const refused = reply(401, { code: 'sign_in_refused', message: '微信登录凭证无效或已过期，请重新登录。' })
    backend.onSignIn(refused, refused)
    const page = await openResults()
    await capture('results-sign-in-refused', page, 'pages/results/index')
  })

  test('sign-in blocked: WeChat blocks the account (errcode 40226), so nothing is offered', async () => {
    backend.requireSignIn()
    const blocked = reply(403, {
      code: 'sign_in_blocked',
      message: '微信判断这个微信账号存在安全风险，暂时不允许它登录小程序，重新登录也无法解决。账号恢复正常后再来吧。',
    })
    backend.onSignIn(blocked, blocked)
    const page = await openResults()
    await capture('results-sign-in-blocked', page, 'pages/results/index')
  })

  test('signed in, then the session expired and signing in again failed', async () => {
    backend.requireSignIn()
    wx.setStorageSync('movierec:session', { token: 'token-old', expiresAt: Date.now() + 3600 * 1000 })
    backend.onSignIn(offline())
    const page = await openResults()
    await capture('results-session-expired', page, 'pages/results/index')
  })

  test('a shared link opened by a friend: the request by its id', async () => {
    backend.onPoll('req-9', allFound('req-9'))
    const page = await openPage('results', { id: 'req-9' })
    await wait(500)
    await capture('results-shared', page, 'pages/results/index')
  })

  test('a Moments link, in single-page mode, on a server with sign-in', async () => {
    wx.getEnterOptionsSync.mockReturnValue({ scene: 1154, query: { id: 'req-9' } })
    backend.requireSignIn()
    backend.onPoll('req-9', allFound('req-9'))
    const page = await openPage('results', { id: 'req-9' })
    await wait(500)
    await capture('results-moments', page, 'pages/results/index', { frame: 'singlePage' })
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

  test('seen and rated', async () => {
    seedTaste()
    backend.onPoll('req-1', allFound('req-1'))
    const page = await openMovie()
    await capture('movie-rated', page, 'pages/movie/index')
  })

  test('copying the link refused (the privacy guide declined)', async () => {
    backend.onPoll('req-1', allFound('req-1'))
    wx.setClipboardData.mockImplementation(({ fail }) => fail({ errMsg: 'setClipboardData:fail api scope is not declared in the privacy agreement', errno: 112 }))
    const page = await openMovie()
    await fire(page, '.copy-action')
    await capture('movie-copy-failed', page, 'pages/movie/index')
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

  test('empty lists: 看过, 收藏, 不感兴趣', async () => {
    await capture('my-seen-empty', await openTab('看过'), 'pages/my/index')
    await capture('my-favourites-empty', await openTab('收藏'), 'pages/my/index')
    await capture('my-disliked-empty', await openTab('不感兴趣'), 'pages/my/index')
  })

  test('seen, with stars', async () => {
    seedTaste()
    await capture('my-seen-rated', await openTab('看过'), 'pages/my/index')
  })

  test('rating a seen film', async () => {
    seedTaste()
    const page = await openTab('看过')
    all(page, '.seen-row')[2].dispatchEvent('tap')
    await flush()
    await capture('my-rating', page, 'pages/my/index')
  })

  test('不感兴趣', async () => {
    seedTaste()
    await capture('my-disliked', await openTab('不感兴趣'), 'pages/my/index')
  })

  /** Opens the import sheet and picks the chat file put in place, then saves the page as `name`. */
  async function importFromChat(name) {
    const page = await openTab('历史')
    await fire(page, '.import-banner')
    await fire(page.querySelector('.import-sheet'), '.choose-file')
    await capture(name, page, 'pages/my/index')
  }

  /** Opens the import sheet and starts an import by the Douban id "ahbei", then saves the page as `name`. */
  async function importById(name) {
    const page = await openTab('历史')
    await fire(page, '.import-banner')
    const sheet = page.querySelector('.import-sheet')
    await fire(sheet, '.user-field__input', 'input', { value: 'ahbei' })
    await fire(sheet, '.user-field__start')
    await capture(name, page, 'pages/my/index')
  }

  test('the import sheet', async () => {
    const page = await openTab('历史')
    await fire(page, '.import-banner')
    await capture('my-import', page, 'pages/my/index')
  })

  test('an import by Douban id under way', async () => {
    backend.onImportUser('imp-1')
    const entries = TITLES.slice(0, 4).map((title) => ({ douban_id: RECORDS[title].douban.id, title, rating: 4, marked_at: 1700000000000, status: 'seen' }))
    backend.onImportPoll('imp-1', { id: 'imp-1', status: 'running', entries, skipped: 0, total: 618, error: null })
    await importById('my-import-running')
  })

  test('a chat file being read and sent', async () => {
    // The upload is still on its way: POST /imports has not answered yet.
    const answer = wx.request
    wx.request = jest.fn((options) => (options.url.endsWith('/imports') ? { abort: jest.fn() } : answer(options)))
    chatFile('豆伴导出.xlsx', Buffer.from('PK\u0003\u0004 a workbook'))
    await importFromChat('my-import-reading')
  })

  test('choosing a chat file refused (the privacy guide declined)', async () => {
    wx.chooseMessageFile.mockImplementationOnce(({ fail }) =>
      fail({ errMsg: 'chooseMessageFile:fail api scope is not declared in the privacy agreement', errno: 112 }),
    )
    await importFromChat('my-import-privacy')
  })

  test('an import done', async () => {
    seedTaste()
    const entries = [
      ...TITLES.map((title, index) => ({ douban_id: RECORDS[title].douban.id, title, rating: (index % 5) + 1, marked_at: 1700000000000 - index, status: 'seen' })),
      { douban_id: '1291546', title: '霸王别姬', rating: 5, marked_at: 1600000000000, status: 'seen' },
      { douban_id: '1292720', title: '阿甘正传', rating: null, marked_at: 1500000000000, status: 'wish' },
    ]
    backend.onImportFile({ format: 'tofu_xlsx', entries, skipped: 2 })
    chatFile('豆伴导出.xlsx', Buffer.from('PK\u0003\u0004 a workbook'))
    await importFromChat('my-import-done')
  })

  test('an import Douban refused', async () => {
    backend.onImportUser('imp-1')
    const refused = { code: 'douban_refused', message: '豆瓣不公开这个用户的观影记录（可能设为了仅自己可见，或需要登录才能查看）。请在电脑上用豆伴或 doumark 等工具导出观影记录，再用“从文件导入”。' }
    backend.onImportPoll('imp-1', { id: 'imp-1', status: 'failed', entries: [], skipped: 0, total: null, error: refused })
    await importById('my-import-failed')
  })
})

describe('launch rules: agreements, reports, erasing', () => {
  // What an operator fills in before a launch (config.js OPERATORS): example values, as a reviewer would read them.
  const OPERATOR = {
    name: '影荐科技（北京）有限公司',
    contact: 'privacy@example.cn',
    modelName: '示例大模型对话服务',
    modelFiling: 'Beijing-ShiLi-202501010001',
  }

  test('first use: the agreements asked before anything else', async () => {
    operator(OPERATOR)
    firstUse()
    const page = await openPage('home')
    await capture('home-consent', page, 'pages/home/index')
  })

  test('the user agreement', async () => {
    operator(OPERATOR)
    const page = await openPage('agreement', { doc: 'terms' })
    await capture('agreement-terms', page, 'pages/agreement/index')
  })

  test('the privacy policy', async () => {
    operator(OPERATOR)
    const page = await openPage('agreement', { doc: 'privacy' })
    await capture('agreement-privacy', page, 'pages/agreement/index')
  })

  test('an agreement of a build whose operator details are missing', async () => {
    operator({ ...OPERATOR, contact: '', modelFiling: '' })
    const page = await openPage('agreement', { doc: 'terms' })
    await capture('agreement-missing', page, 'pages/agreement/index')
  })

  test('the report sheet on a card', async () => {
    operator(OPERATOR)
    backend.onCreate('req-1')
    backend.onPoll('req-1', allFound('req-1'))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    await wait(500)
    await fire(all(page, '.card')[1], '.report-action')
    const sheet = page.querySelector('.report-sheet')
    all(sheet, '.kind__label')
      .find((each) => text(each) === '推荐理由说错了')
      .dispatchEvent('tap')
    await fire(sheet, '.text', 'input', { value: '这部片子的导演不是他' })
    await capture('results-report', page, 'pages/results/index')
  })

  test('a reported card gone from the results', async () => {
    backend.onCreate('req-1')
    backend.onPoll('req-1', allFound('req-1'))
    storage.reported.add(storage.reportedEntry('req-1', 2))
    const page = await openPage('results', queryOf(resultsUrl(QUERY)))
    await wait(500)
    await capture('results-reported', page, 'pages/results/index')
  })

  test('the movie page after its reason was reported', async () => {
    backend.onPoll('req-1', allFound('req-1'))
    storage.reported.add(storage.reportedEntry('req-1', 1))
    const page = await openPage('movie', queryOf(movieUrl({ doubanId: RECORDS['盗梦空间'].douban.id, requestId: 'req-1', rank: 1 })))
    await capture('movie-reported', page, 'pages/movie/index')
  })

  test('删除我的数据, to confirm', async () => {
    seedHistory()
    seedSeenAndFavourites()
    const page = await openPage('my')
    await fire(page, '.erase-link')
    await capture('my-erase', page, 'pages/my/index')
  })
})
