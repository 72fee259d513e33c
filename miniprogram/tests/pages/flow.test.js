/**
 * The whole journey across pages, as a person taps through it: choose tags →
 * request → results fill in → mark seen → 换一批 → the My page remembers.
 */
const { openPage, fire, flush, wait, text, all } = require('../helpers/render')
const { createBackend } = require('../helpers/backend')
const { queryOf, lastNavigation } = require('../helpers/wx')
const { view, movie, fillingIn } = require('../helpers/fixtures')

async function tapTag(home, name) {
  all(home.querySelector('.tags'), '.chip')
    .find((chip) => text(chip) === name)
    .dispatchEvent('tap')
  await flush()
}

/** Opens the page that the last wx.navigateTo pointed at. */
function followNavigation() {
  const [pagePath] = lastNavigation().split('?')
  const name = pagePath.split('/')[2]
  return openPage(name, queryOf(lastNavigation()))
}

test('choose tags, get results, mark one seen, 换一批, and find it all on the My page', async () => {
  const backend = createBackend()
  backend.onCreate('req-1', 'req-2', 'req-3')
  backend.onPoll('req-1', ...fillingIn('req-1'))
  backend.onPoll('req-2', view('req-2', 'done', [movie(1, '源代码')]))
  backend.onPoll('req-3', view('req-3', 'done', [movie(1, '源代码')]))

  // Home: pick two tags and ask, keeping the default count.
  const home = await openPage('home')
  await tapTag(home, '科幻')
  await tapTag(home, '悬疑')
  await fire(home, '.submit')

  // Results: fill in as Douban answers.
  const results = await followNavigation()
  await wait(500 + 750 + 1125)
  const cards = all(results, '.card')
  expect(cards.map((card) => text(card.querySelector('.title__text')))).toEqual(['盗梦空间', '星际穿越'])
  expect(backend.posted()[0]).toEqual({ mode: 'tags', tags: ['科幻', '悬疑'], count: 8, exclude: [] })

  // 看过 on the first film, then 换一批.
  await fire(cards[0], '.seen-action')
  await fire(results, '.more')
  expect(backend.posted()[1]).toEqual({
    mode: 'tags',
    tags: ['科幻', '悬疑'],
    count: 8,
    exclude: ['不存在的电影', '1889243', '3541415'],
    previous: 'req-1',
  })
  expect(all(results, '.card').map((card) => text(card.querySelector('.title__text')))).toEqual(['源代码'])

  // My: the request is in the history and the film in the seen list.
  const my = await openPage('my')
  expect(all(my, '.row__title').map(text)).toEqual(['科幻、悬疑'])
  all(my.querySelector('.tabs'), '.segment')[1].dispatchEvent('tap')
  await flush()
  expect(all(my, '.row__title').map(text)).toEqual(['盗梦空间 2010'])

  // Home: the recent query reopens its latest results (req-2) without asking the model again.
  const again = await openPage('home')
  await fire(again, '.recent-item')
  const reopened = await followNavigation()
  expect(backend.posted()).toHaveLength(2)
  expect(all(reopened, '.card').map((card) => text(card.querySelector('.title__text')))).toEqual(['源代码'])

  // 换一批 there is a brand-new request, sending the seen list as exclude.
  await fire(reopened, '.more')
  expect(backend.posted()[2]).toEqual({
    mode: 'tags',
    tags: ['科幻', '悬疑'],
    count: 8,
    exclude: ['3075287', '3541415'],
    previous: 'req-2',
  })
})
