const { renderComponent, fire, text, attr, all } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')
const { toCard } = require('../../src/utils/movie')
const { movie, partialMovie } = require('../helpers/fixtures')
const { AI_LABEL } = require('../../src/utils/ai-label')

async function renderCard(entry, flags, position = entry.rank) {
  const card = await renderComponent('movie-card', { movie: { ...toCard(entry, flags), position } })
  const events = {}
  for (const name of ['open', 'toggleseen', 'togglefavourite', 'toggledislike', 'morelike']) {
    events[name] = recordEvents(card, name)
  }
  return { card, events }
}

test('a found movie shows poster, its number, title and year, stars, genres and director, reason, and a chevron', async () => {
  const { card } = await renderCard({ ...movie(4, '盗梦空间') }, {}, 2)
  expect(text(card.querySelector('.title__text'))).toBe('盗梦空间')
  expect(text(card.querySelector('.title__year'))).toBe('2010')
  expect(text(card.querySelector('.rating'))).toContain('9.4')
  expect(text(card.querySelector('.byline'))).toBe('剧情 / 科幻 / 悬疑 · 克里斯托弗·诺兰')
  expect(text(card.querySelector('.reason'))).toBe(`${AI_LABEL}层层嵌套的梦境，烧脑又好看`)
  expect(attr(card.querySelector('.poster-box__fill').querySelector('.image'), 'src')).toMatch(/p3541415\.jpg$/)
  expect(text(card.querySelector('.rank'))).toBe('2') // numbered as shown, not by the model's rank
  expect(card.querySelector('.details')).toBeTruthy() // the tap affordance: the card opens the movie
  expect(all(card, '.footer .action').map(text)).toEqual(['看过', '收藏', '更多类似'])
  expect(text(card.querySelector('.dislike-action'))).toBe('不感兴趣')
  expect(card.querySelector('.partial-tag')).toBeFalsy()
})

test('a movie without a Douban rating reads 暂无评分', async () => {
  const { card } = await renderCard(movie(3, '源代码'))
  expect(text(card.querySelector('.rating'))).toBe('暂无评分')
})

test('a partial movie shows what the Douban search gave and 信息补全中, without 暂无评分 or empty lines', async () => {
  const { card, events } = await renderCard(partialMovie(1, '盗梦空间'))
  expect(text(card.querySelector('.title__text'))).toBe('盗梦空间')
  expect(text(card.querySelector('.title__year'))).toBe('2010')
  expect(text(card.querySelector('.original'))).toBe('Inception')
  expect(text(card.querySelector('.partial-tag'))).toBe('信息补全中')
  expect(attr(card.querySelector('.poster-box__fill').querySelector('.image'), 'src')).toMatch(/p3541415\.jpg$/)
  expect(text(card.querySelector('.reason'))).toBe(`${AI_LABEL}层层嵌套的梦境，烧脑又好看`)
  expect(card.querySelector('.rating')).toBeFalsy()
  expect(card.querySelector('.byline')).toBeFalsy()
  expect(text(card)).not.toMatch(/暂无评分|导演|主演|暂时没取到/)

  // It is a found movie all the same: it opens and can be kept.
  await fire(card, '.main')
  await fire(card, '.favourite-action')
  expect(events.open).toEqual([{ rank: 1 }])
  expect(events.togglefavourite).toEqual([{ rank: 1 }])
})

test('a movie still being looked up shows its title and reason, shimmers, and cannot be acted on', async () => {
  const { card, events } = await renderCard(movie(2, '星际穿越', 'pending'))
  expect(text(card.querySelector('.title__text'))).toBe('星际穿越')
  expect(text(card.querySelector('.reason'))).toBe(`${AI_LABEL}硬核科幻与父女情的结合`)
  expect(text(card)).toContain('正在豆瓣查找…')
  expect(card.querySelector('.line')).toBeTruthy()
  expect(card.querySelector('.rating')).toBeFalsy()
  expect(card.querySelector('.footer')).toBeFalsy()
  await fire(card, '.main')
  expect(events.open).toEqual([])
})

test('a movie whose lookup failed can still be marked seen or 不感兴趣, but not opened, kept or followed', async () => {
  const { card, events } = await renderCard(movie(4, '不存在的电影', 'failed'))
  expect(text(card)).toContain('暂时没取到豆瓣信息')
  expect(card.querySelector('.favourite-action')).toBeFalsy()
  expect(card.querySelector('.more-like-action')).toBeFalsy()
  expect(card.querySelector('.dislike-action')).toBeTruthy()
  await fire(card, '.main')
  await fire(card, '.seen-action')
  expect(events.open).toEqual([])
  expect(events.toggleseen).toEqual([{ rank: 4 }])
})

test('a failed card says why in the backend\'s words when it gives them', async () => {
  const busy = { ...movie(2, '星际穿越', 'failed'), note: '豆瓣这会儿太忙，没来得及查到这部，请稍后再推荐一次。' }
  const { card } = await renderCard(busy)
  expect(text(card.querySelector('.status'))).toBe('豆瓣这会儿太忙，没来得及查到这部，请稍后再推荐一次。')
  expect(text(card)).not.toContain('暂时没取到')
})

test('taps report the rank: open, 看过, 收藏, 更多类似 and 不感兴趣', async () => {
  const { card, events } = await renderCard(movie(1, '盗梦空间'))
  await fire(card, '.main')
  await fire(card, '.seen-action')
  await fire(card, '.favourite-action')
  await fire(card, '.more-like-action')
  await fire(card, '.dislike-action')
  expect(events).toEqual({
    open: [{ rank: 1 }],
    toggleseen: [{ rank: 1 }],
    togglefavourite: [{ rank: 1 }],
    morelike: [{ rank: 1 }],
    toggledislike: [{ rank: 1 }],
  })
})

test('a card marked 不感兴趣 folds to one line that takes it back', async () => {
  const { card, events } = await renderCard(movie(1, '盗梦空间'), { dislikedKeys: ['douban:3541415'] })
  expect(text(card.querySelector('.folded__text'))).toBe('不再推荐《盗梦空间》')
  expect(text(card.querySelector('.undo-action'))).toBe('撤销')
  expect(card.querySelector('.main')).toBeFalsy()
  await fire(card, '.undo-action')
  expect(events.toggledislike).toEqual([{ rank: 1 }])
})

test('a seen film shows the stars the person gave it', async () => {
  const { card } = await renderCard(movie(1, '盗梦空间'), {
    seenKeys: ['douban:3541415'],
    ratings: { 'douban:3541415': 4 },
  })
  expect(text(card.querySelector('.seen-action'))).toBe('看过 4★')
})

test('seen and favourite movies say so', async () => {
  const { card } = await renderCard(movie(1, '盗梦空间'), {
    seenKeys: ['douban:3541415'],
    favouriteKeys: ['douban:3541415'],
  })
  expect(text(card.querySelector('.seen-action'))).toBe('已看过')
  expect(text(card.querySelector('.favourite-action'))).toBe('已收藏')
  expect(attr(card.querySelector('.card'), 'class')).toContain('card--seen')
})
