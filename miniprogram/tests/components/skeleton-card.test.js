const { renderComponent, all } = require('../helpers/render')

test('a skeleton card has a poster block and four shimmering lines', async () => {
  const card = await renderComponent('skeleton-card')
  expect(card.querySelector('.poster')).toBeTruthy()
  expect(all(card, '.line')).toHaveLength(4)
  expect(card.querySelector('.poster').querySelector('.skeleton')).toBeTruthy()
})
