const { renderComponent, flush, text } = require('../helpers/render')

test('fills the stars to the exact rating and shows the score and vote count', async () => {
  const stars = await renderComponent('rating-stars', { rating: 9.4, count: 1970885 })
  expect(text(stars)).toContain('9.4')
  expect(text(stars)).toContain('197.1万人评价')
  expect(stars.querySelector('.stars__fill').dom.getAttribute('style')).toMatch(/width:\s*94%/)
})

test('a low rating fills fewer stars', async () => {
  const stars = await renderComponent('rating-stars', { rating: 3.5, count: 120 })
  expect(stars.querySelector('.stars__fill').dom.getAttribute('style')).toMatch(/width:\s*35%/)
  expect(text(stars)).toContain('120人评价')
})

test('no rating reads 暂无评分, and the stars come back with a rating', async () => {
  const stars = await renderComponent('rating-stars', { rating: null, count: null })
  expect(text(stars)).toBe('暂无评分')
  expect(stars.querySelector('.stars__fill')).toBeFalsy()

  stars.setData({ rating: 8.1 })
  await flush()
  expect(text(stars)).toContain('8.1')
  expect(text(stars)).not.toContain('暂无评分')
})
