/**
 * 按你说的 (issue 21): the filters the backend read from the person's words show as chips under the query; removing
 * one asks for the same request again without it, and words that leave no film are answered in words.
 */
const { openPage, fire, text, all, tapText } = require('../helpers/render')
const { createBackend, reply } = require('../helpers/backend')
const { queryOf } = require('../helpers/wx')
const { view, movie } = require('../helpers/fixtures')
const { resultsUrl, queryFromOptions } = require('../../src/utils/routes')
const storage = require('../../src/utils/storage')

const THEME = '2015年以后的韩国悬疑片，评分8分以上'
const QUERY = { mode: 'theme', theme: THEME, count: 2 }
const READ = [
  { field: 'countries', value: ['韩国'], words: ['韩国'], label: '韩国', source: 'words' },
  { field: 'years', value: { from: 2015, to: null }, words: ['2015年以后'], label: '2015 年及以后', source: 'words' },
  { field: 'min_rating', value: 8, words: ['评分8分以上'], label: '豆瓣 8 分以上', source: 'words' },
]
const themed = (id, movies, readFilters = READ, status = 'done') =>
  view(id, status, movies, { mode: 'theme', query: THEME, count: 2, read_filters: readFilters })

let backend
beforeEach(() => {
  backend = createBackend()
})

// The chips are a component of their own: read inside it.
const chipsBlock = (page) => page.querySelector('.read-filter-chips')
const chips = (page) => all(chipsBlock(page), '.chip__label').map(text)
const removeChip = (page, label) => tapText(chipsBlock(page), '.chip', label)
const titles = (page) => all(page, '.card').map((card) => text(card.querySelector('.title__text')))
const problem = (page) => page.querySelector('.problem')

test('the filters read from the words show under the query as chips, once the request says what it read', async () => {
  backend.onCreate('req-1')
  backend.onPoll('req-1', themed('req-1', [], READ, 'pending'), themed('req-1', [movie(1, '盗梦空间')]))
  const page = await openPage('results', queryOf(resultsUrl(QUERY)))
  expect(text(page.querySelector('.header__label'))).toBe(THEME)
  expect(chips(page)).toEqual(['韩国', '2015 年及以后', '豆瓣 8 分以上'])
  expect(text(chipsBlock(page).querySelector('.read-filters__lead'))).toBe('按你说的')
})

test('removing a chip asks for the same request again without that filter, and remembers it', async () => {
  backend.onCreate('req-1', 'req-2')
  backend.onPoll('req-1', themed('req-1', [movie(1, '盗梦空间'), movie(2, '星际穿越')]))
  backend.onPoll('req-2', themed('req-2', [movie(1, '源代码')], READ.slice(0, 2)))
  const page = await openPage('results', queryOf(resultsUrl(QUERY)))
  expect(titles(page)).toEqual(['盗梦空间', '星际穿越'])

  await removeChip(page, '豆瓣 8 分以上')
  expect(chips(page)).toEqual(['韩国', '2015 年及以后']) // at once, before the new answer
  const [, again] = backend.posted()
  expect(again).toEqual({ ...QUERY, dismissed_filters: ['min_rating'], exclude: [] })
  expect(titles(page)).toEqual(['源代码'])
  expect(chips(page)).toEqual(['韩国', '2015 年及以后'])
  const [latest] = storage.history.all()
  expect(latest.query).toEqual({ ...QUERY, dismissed_filters: ['min_rating'] })
  expect(queryFromOptions(queryOf(resultsUrl(latest.query)))).toEqual(latest.query) // the link reopens it
})

test('a refined request removes a chip keeping its refinement and the request it refines', async () => {
  backend.onCreate('req-1', 'req-2', 'req-3')
  backend.onPoll('req-1', themed('req-1', [movie(1, '盗梦空间'), movie(2, '星际穿越')]))
  const refinedRead = [...READ, { field: 'max_votes', value: 50000, words: ['冷门'], label: '评价不到 5 万人' }]
  backend.onPoll('req-2', themed('req-2', [movie(1, '源代码')], refinedRead))
  backend.onPoll('req-3', themed('req-3', [movie(1, '源代码')], READ))
  const page = await openPage('results', queryOf(resultsUrl(QUERY)))
  await fire(page, '.refine__suggestion') // 更冷门一点
  expect(chips(page)).toContain('评价不到 5 万人')

  await removeChip(page, '评价不到 5 万人')
  const third = backend.posted()[2]
  expect(third).toMatchObject({ previous: 'req-1', refine: '更冷门一点', dismissed_filters: ['max_votes'] })
})

test('words that leave no film are said plainly, with the way back to the words', async () => {
  const message = '「2030年以后」的电影还没有上映，豆瓣上最新的影片只到 2027 年，换个年份试试。'
  backend.onCreate(reply(422, { code: 'nothing_can_match', message, details: [{ field: 'theme', message }] }))
  const page = await openPage('results', queryOf(resultsUrl({ mode: 'theme', theme: '2030年以后的科幻片', count: 8 })))
  expect(text(problem(page).querySelector('.heading'))).toBe('没有能满足条件的电影')
  expect(text(problem(page).querySelector('.message'))).toBe(message)
  expect(text(problem(page).querySelector('.action'))).toBe('修改一下')
  await fire(problem(page), '.action')
  expect(wx.navigateBack).toHaveBeenCalled()
})

test('an empty answer under filters read from the words says the chips can be taken away', async () => {
  backend.onCreate('req-1')
  backend.onPoll('req-1', themed('req-1', [movie(1, '不存在的电影', 'not_found')]))
  const page = await openPage('results', queryOf(resultsUrl(QUERY)))
  expect(text(problem(page).querySelector('.heading'))).toBe('没有符合这些条件的电影')
  expect(text(problem(page).querySelector('.message'))).toBe('点上面的条件可以去掉它，或者换一批试试')
  expect(chips(page)).toEqual(['韩国', '2015 年及以后', '豆瓣 8 分以上'])
})
