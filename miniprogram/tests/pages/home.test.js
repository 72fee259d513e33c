const fs = require('fs')
const path = require('path')
const { openPage, lifecycle, fire, flush, text, all, attr, chooseFilters } = require('../helpers/render')
const { resultsUrl } = require('../../src/utils/routes')
const { queryOf, lastNavigation } = require('../helpers/wx')
const storage = require('../../src/utils/storage')
const marks = require('../../src/utils/marks')

const submit = (page) => page.querySelector('.submit')
const hint = (page) => text(page.querySelector('.problem'))

/** The query the 推荐 button asked the results page for. */
function requestedQuery() {
  return JSON.parse(decodeURIComponent(queryOf(lastNavigation()).q))
}

async function chooseMode(page, label) {
  const tab = all(page.querySelector('.modes'), '.segment').find((each) => text(each) === label)
  tab.dispatchEvent('tap')
  await flush()
}

async function tapTag(page, name) {
  all(page.querySelector('.tags'), '.chip')
    .find((each) => text(each) === name)
    .dispatchEvent('tap')
  await flush()
}

test('offers four ways to ask, starting with tags while the app knows nothing of the person', async () => {
  const page = await openPage('home')
  expect(all(page.querySelector('.modes'), '.segment').map(text)).toEqual(['为我推荐', '兴趣标签', '相似主题', '电影明星'])
  expect(all(page.querySelector('.modes'), '.segment--active').map(text)).toEqual(['兴趣标签'])
  expect(all(page.querySelector('.tags'), '.chip').map(text)).toEqual(
    expect.arrayContaining(['科幻', '悬疑', '爱情', '喜剧', '动画', '犯罪', '治愈', '纪录片', '战争', '恐怖', '奇幻', '历史']),
  )
  expect(all(page.querySelector('.counts'), '.segment--active').map(text)).toEqual(['8 部'])
})

test('推荐 is disabled until a tag is chosen, and then asks for those tags', async () => {
  const page = await openPage('home')
  expect(attr(submit(page), 'disabled')).toBe(true)
  expect(hint(page)).toBe('至少选择 1 个标签')
  await fire(page, '.submit')
  expect(wx.navigateTo).not.toHaveBeenCalled()

  await tapTag(page, '科幻')
  await tapTag(page, '悬疑')
  expect(attr(submit(page), 'disabled')).toBe(false)
  expect(hint(page)).toBe('科幻、悬疑 · 8 部') // what 推荐 will ask for

  await fire(page, '.submit')
  expect(lastNavigation()).toMatch(/^\/pages\/results\/index\?q=/)
  expect(requestedQuery()).toEqual({ mode: 'tags', tags: ['科幻', '悬疑'], count: 8 })
})

test('the count choice goes with the request', async () => {
  const page = await openPage('home')
  await tapTag(page, '动画')
  all(page.querySelector('.counts'), '.segment')
    .find((each) => text(each) === '5 部')
    .dispatchEvent('tap')
  await flush()
  await fire(page, '.submit')
  expect(requestedQuery()).toEqual({ mode: 'tags', tags: ['动画'], count: 5 })
})

test('a custom tag can be asked for', async () => {
  const page = await openPage('home')
  const picker = page.querySelector('.tags')
  await fire(picker, '.custom__input', 'input', { value: '赛博朋克' })
  await fire(picker, '.custom__add')
  await fire(page, '.submit')
  expect(requestedQuery().tags).toEqual(['赛博朋克'])
})

describe('theme', () => {
  test('typing a theme enables 推荐 and sends it trimmed', async () => {
    const page = await openPage('home')
    await chooseMode(page, '相似主题')
    expect(attr(submit(page), 'disabled')).toBe(true)
    expect(hint(page)).toBe('请输入主题')

    await fire(page, '.theme-input', 'input', { value: '  孤独的太空旅行 ' })
    expect(attr(submit(page), 'disabled')).toBe(false)
    await fire(page, '.submit')
    expect(requestedQuery()).toEqual({ mode: 'theme', theme: '孤独的太空旅行', count: 8 })
  })

  test('an example fills the field in one tap', async () => {
    const page = await openPage('home')
    await chooseMode(page, '相似主题')
    await fire(page, '.example-chip')
    expect(attr(page.querySelector('.theme-input'), 'value')).toBe('时间循环')
    await fire(page, '.submit')
    expect(requestedQuery()).toEqual({ mode: 'theme', theme: '时间循环', count: 8 })
  })

  test('a theme longer than 200 characters is refused', async () => {
    const page = await openPage('home')
    await chooseMode(page, '相似主题')
    await fire(page, '.theme-input', 'input', { value: '梦'.repeat(201) })
    expect(attr(submit(page), 'disabled')).toBe(true)
    expect(hint(page)).toBe('主题最多 200 个字')
    expect(attr(page.querySelector('.theme-input'), 'maxlength')).toBe(200)
  })
})

describe('star', () => {
  test('a name enables 推荐; a blank one does not', async () => {
    const page = await openPage('home')
    await chooseMode(page, '电影明星')
    await fire(page, '.star-input', 'input', { value: '   ' })
    expect(attr(submit(page), 'disabled')).toBe(true)
    expect(hint(page)).toBe('请输入明星名字')

    await fire(page, '.star-input', 'input', { value: '周星驰' })
    await fire(page, '.submit')
    expect(requestedQuery()).toEqual({ mode: 'star', star: '周星驰', count: 8 })
  })

  test('a name longer than 50 characters is refused', async () => {
    const page = await openPage('home')
    await chooseMode(page, '电影明星')
    await fire(page, '.star-input', 'input', { value: '星'.repeat(51) })
    expect(attr(submit(page), 'disabled')).toBe(true)
    expect(hint(page)).toBe('明星名字最多 50 个字')
  })
})

describe('为我推荐', () => {
  const modesActive = (page) => all(page.querySelector('.modes'), '.segment--active').map(text)

  test('someone whose taste the app knows starts there, and sees what it knows', async () => {
    marks.rate({ doubanId: '3541415', title: '盗梦空间', year: 2010 }, 5)
    marks.rate({ doubanId: '1291843', title: '电锯惊魂', year: 2004 }, 1)
    marks.toggleSeen({ title: '霸王别姬' })
    const page = await openPage('home')
    expect(modesActive(page)).toEqual(['为我推荐'])
    expect(all(page, '.taste__number').map(text)).toEqual(['1部喜欢', '1部不喜欢', '3部看过'])
    expect(hint(page)).toBe('根据你的口味 · 8 部')
    await fire(page, '.submit')
    expect(requestedQuery()).toEqual({ mode: 'for_me', count: 8 })
  })

  test('a mood goes with the request, trimmed; an example fills it in one tap', async () => {
    storage.favourites.add(storage.favouriteEntry({ douban: { id: '1889243', title: '星际穿越', year: 2014 } }))
    const page = await openPage('home')
    await fire(page, '.mood-input', 'input', { value: '  今晚想看点轻松的 ' })
    expect(hint(page)).toBe('今晚想看点轻松的 · 8 部')
    await fire(page, '.submit')
    expect(requestedQuery()).toEqual({ mode: 'for_me', mood: '今晚想看点轻松的', count: 8 })

    await fire(page, '.example-chip')
    expect(attr(page.querySelector('.mood-input'), 'value')).toBe('今晚想看点轻松的')
    await fire(page, '.mood-input', 'input', { value: '心'.repeat(101) })
    expect(hint(page)).toBe('心情最多 100 个字')
  })

  test('with nothing to go on, it says how to teach it, and a mood alone is enough', async () => {
    const page = await openPage('home')
    await chooseMode(page, '为我推荐')
    expect(attr(submit(page), 'disabled')).toBe(true)
    expect(hint(page)).toBe('写下此刻的心情，或先导入豆瓣记录')
    // No row of zeros: what to do first, with the import as a button, and the mood no longer optional.
    expect(text(page.querySelector('.taste__title'))).toBe('还不了解你的口味')
    expect(page.querySelector('.taste__number')).toBeFalsy()
    expect(text(page.querySelector('.taste__button'))).toBe('导入豆瓣记录')
    expect(all(page, '.panel__label').map(text)).toContain('此刻的心情')
    await fire(page, '.mood-input', 'input', { value: '想好好哭一场' })
    expect(attr(submit(page), 'disabled')).toBe(false)
  })

  test('导入豆瓣记录 opens the import on the My page', async () => {
    const page = await openPage('home')
    await chooseMode(page, '为我推荐')
    await fire(page, '.taste__import')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/my/index' })
    const my = await openPage('my')
    const frame = () => my.querySelector('.import-sheet').querySelector('.sheet')
    expect(frame().querySelector('.mask')).toBeTruthy() // the sheet is open
    await fire(frame(), '.close')
    await lifecycle(my, 'onShow') // asked once: coming back later does not open it again
    expect(frame().querySelector('.mask')).toBeFalsy()
  })

  test('the taste shown follows changes made elsewhere', async () => {
    const page = await openPage('home')
    await chooseMode(page, '为我推荐')
    expect(page.querySelector('.taste__number')).toBeFalsy()
    marks.toggleSeen({ doubanId: '1292052', title: '肖申克的救赎', year: 1994 })
    await lifecycle(page, 'onShow')
    expect(text(page.querySelector('.taste__note'))).toContain('已记下的 1 部看过的不会再推荐')
    marks.rate({ doubanId: '3541415', title: '盗梦空间', year: 2010 }, 4)
    await lifecycle(page, 'onShow')
    expect(text(all(page, '.taste__number')[0])).toBe('1部喜欢')
    expect(all(page, '.panel__label').map(text)).toContain('此刻的心情（可不填）')
    expect(attr(submit(page), 'disabled')).toBe(false)
  })
})

describe('筛选', () => {
  const applyFilters = (page, labels) => chooseFilters(page, '.filter-row', labels)

  test('filters chosen in the sheet go with the request in every mode, and the line says which', async () => {
    const page = await openPage('home')
    expect(text(page.querySelector('.filter-row__value'))).toBe('评分、年代、地区…不限')
    await tapTag(page, '科幻')
    await applyFilters(page, ['8 分以上', '2010 后', '美国', '恐怖', '只看电影'])
    expect(text(page.querySelector('.filter-row__value'))).toBe('8 分以上 · 2010 后 · 美国 · 不要恐怖 · 只看电影')
    expect(hint(page)).toBe('科幻 · 8 分以上 · 2010 后 · 美国 · 不要恐怖 · 只看电影 · 8 部')
    await fire(page, '.submit')
    expect(requestedQuery()).toEqual({
      mode: 'tags',
      tags: ['科幻'],
      count: 8,
      filters: { min_rating: 8, years: { from: 2010 }, countries: ['美国'], genres_exclude: ['恐怖'], kind: 'movie' },
    })

    await chooseMode(page, '电影明星')
    await fire(page, '.star-input', 'input', { value: '周星驰' })
    await fire(page, '.submit')
    expect(requestedQuery().filters).toMatchObject({ min_rating: 8 })
  })

  test('closing the sheet keeps what was there', async () => {
    const page = await openPage('home')
    await applyFilters(page, ['9 分以上'])
    const sheet = await chooseFilters(page, '.filter-row', ['不限'], { apply: false })
    await fire(sheet.querySelector('.sheet'), '.mask')
    expect(page.instance.data.filtersShown).toBe(false)
    expect(text(page.querySelector('.filter-row__value'))).toBe('9 分以上')
  })
})

describe('recent queries', () => {
  const THEME = { mode: 'theme', theme: '时间循环', count: 5 }

  test('are listed newest first and re-run with one tap', async () => {
    storage.history.add(storage.historyEntry({ mode: 'tags', tags: ['科幻'], count: 8 }, '科幻'))
    storage.history.add(storage.historyEntry(THEME, '时间循环'))
    const page = await openPage('home')

    // Rows are plain views: their parts are found from the page, not inside the row.
    expect(all(page, '.recent-item__label').map(text)).toEqual(['时间循环', '科幻'])
    expect(all(page, '.recent-item__mode').map(text)).toEqual(['相似主题', '兴趣标签'])

    await fire(page, '.recent-item')
    expect(requestedQuery()).toEqual(THEME)
    expect(queryOf(lastNavigation()).id).toBeUndefined()
  })

  test('reopen the same results by their request id for 30 days, then ask again', async () => {
    const now = Date.now()
    storage.history.add({ ...storage.historyEntry(THEME, '时间循环', 'req-7'), at: now - 29 * 24 * 3600 * 1000 })
    const page = await openPage('home')
    expect(text(page.querySelector('.recent-item__go'))).toBe('查看')
    await fire(page, '.recent-item')
    expect(queryOf(lastNavigation()).id).toBe('req-7')
    expect(requestedQuery()).toEqual(THEME) // asked again with it once the request has expired

    storage.history.add({ ...storage.historyEntry(THEME, '时间循环', 'req-7'), at: now - 31 * 24 * 3600 * 1000 })
    await lifecycle(page, 'onShow')
    expect(text(page.querySelector('.recent-item__go'))).toBe('再推荐')
    await fire(page, '.recent-item')
    expect(queryOf(lastNavigation()).id).toBeUndefined()
  })

  test('update when coming back to the page, and link to the whole history', async () => {
    const page = await openPage('home')
    expect(page.querySelector('.recent-item')).toBeFalsy()
    storage.history.add(storage.historyEntry(THEME, '时间循环'))
    await lifecycle(page, 'onShow')
    expect(all(page, '.recent-item')).toHaveLength(1)

    await fire(page, '.recent__all')
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/my/index' })
  })
})

/** The first node of a rendered tree with class `name`. */
function find(node, name) {
  if (typeof node === 'string') return null
  const classes = (node.attrs.find((each) => each.name === 'class') || { value: '' }).value.split(/\s+/)
  if (classes.includes(name)) return node
  return node.children.map((child) => find(child, name)).find(Boolean) || null
}

/** Every class used inside a rendered node. */
function classesInside(node) {
  if (typeof node === 'string') return []
  const own = (node.attrs.find((each) => each.name === 'class') || { value: '' }).value.split(/\s+/)
  return own.concat(...node.children.map(classesInside)).filter(Boolean)
}

describe('the 推荐 bar', () => {
  test('is outside the scrolling form, in every mode, so it is on the first screen', async () => {
    const page = await openPage('home')
    for (const mode of ['兴趣标签', '相似主题', '电影明星']) {
      all(page.querySelector('.modes'), '.segment')
        .find((each) => text(each) === mode)
        .dispatchEvent('tap')
      await flush()
      const tree = page.toJSON()
      expect(classesInside(find(tree, 'action-bar'))).toContain('submit')
      expect(classesInside(find(tree, 'form'))).not.toContain('submit')
    }
  })
})

describe('release configuration', () => {
  const CONFIG = '../../src/config'
  const { apiConfig } = require(CONFIG)
  const asBuild = (envVersion) => wx.getAccountInfoSync.mockReturnValue({ miniProgram: { envVersion } })
  const OPERATOR = {
    name: '示例科技有限公司',
    contact: 'help@example.com',
    modelName: '示例大模型',
    modelFiling: 'Beijing-Example-2025',
  }
  /** Pages load their own copy of config.js: give them this release base, and the operator's details unless told. */
  function releaseBase(base, operator = OPERATOR) {
    jest.doMock(CONFIG, () => {
      const actual = jest.requireActual(CONFIG)
      actual.API_BASES.release = base
      actual.OPERATORS.release = operator
      return actual
    })
  }
  afterEach(() => jest.dontMock(CONFIG))

  test('each build has its own API base, chosen by WeChat envVersion', () => {
    const bases = {
      develop: 'http://127.0.0.1:3000',
      trial: 'https://trial.example.com/prod',
      release: 'https://api.example.com/prod/',
    }
    expect(apiConfig(bases, 'develop')).toEqual({
      envVersion: 'develop',
      apiBase: 'http://127.0.0.1:3000',
      problem: '',
    })
    expect(apiConfig(bases, 'trial')).toMatchObject({ apiBase: 'https://trial.example.com/prod', problem: '' })
    expect(apiConfig(bases, 'release')).toMatchObject({ apiBase: 'https://api.example.com/prod', problem: '' })
    asBuild('trial')
    expect(apiConfig(bases).envVersion).toBe('trial')
  })

  test('trial and release must be HTTPS; an unknown build counts as release', () => {
    const plain = { develop: 'http://127.0.0.1:3000', trial: 'http://10.0.0.2:3000', release: 'http://api.example.com' }
    expect(apiConfig(plain, 'trial').problem).toBe('体验版的服务地址必须是 HTTPS，暂时无法推荐')
    expect(apiConfig(plain, 'release').problem).toBe('正式版的服务地址必须是 HTTPS，暂时无法推荐')
    expect(apiConfig({ ...plain, release: '' }, 'release').problem).toBe('正式版还没有设置服务地址，暂时无法推荐')
    wx.getAccountInfoSync.mockImplementation(() => {
      throw new Error('not supported')
    })
    expect(apiConfig(plain).envVersion).toBe('release')
  })

  test('a misconfigured build says so on the home page, and asks nothing of the network', async () => {
    asBuild('release')
    releaseBase('http://api.example.com')
    const home = await openPage('home')
    expect(text(home.querySelector('.config-problem'))).toBe('正式版的服务地址必须是 HTTPS，暂时无法推荐')

    wx.request = jest.fn()
    const results = await openPage('results', queryOf(resultsUrl({ mode: 'star', star: '周星驰', count: 5 })))
    expect(wx.request).not.toHaveBeenCalled()
    const problem = results.querySelector('.problem')
    expect(text(problem.querySelector('.heading'))).toBe('暂时无法连接服务')
    expect(text(problem.querySelector('.message'))).toBe('正式版的服务地址必须是 HTTPS，暂时无法推荐')
  })

  test('a release build without the operator\'s details says which at the top of the home page', async () => {
    asBuild('release')
    releaseBase('https://api.example.com/prod', { ...OPERATOR, contact: '', modelFiling: ' ' })
    const home = await openPage('home')
    expect(text(home.querySelector('.config-problem'))).toBe('正式版还没有填写联系方式、模型备案号（config.js）')
  })

  test('the develop build without them says nothing on screen: only the agreements show 未填写', async () => {
    const home = await openPage('home')
    expect(home.querySelector('.config-problem')).toBeFalsy()
  })

  test('a well-configured release build shows no warning and calls its HTTPS base', async () => {
    asBuild('release')
    releaseBase('https://api.example.com/prod')
    const home = await openPage('home')
    expect(home.querySelector('.config-problem')).toBeFalsy()
    wx.request = jest.fn()
    await openPage('results', queryOf(resultsUrl({ mode: 'star', star: '周星驰', count: 5 })))
    expect(wx.request.mock.calls[0][0].url).toBe('https://api.example.com/prod/recommendations')
  })

  test('the project minifies WXML and WXSS, and WeChat may index the home and movie pages only', () => {
    const root = path.resolve(__dirname, '../..')
    const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'))
    expect(project.setting).toMatchObject({ minifyWXML: true, minifyWXSS: true })
    const sitemap = JSON.parse(fs.readFileSync(path.join(root, 'src/sitemap.json'), 'utf8'))
    expect(sitemap.rules).toEqual([
      { action: 'allow', page: 'pages/home/index' },
      { action: 'allow', page: 'pages/movie/index' },
      { action: 'disallow', page: '*' },
    ])
  })
})
