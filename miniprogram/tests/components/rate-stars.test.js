const { renderComponent, fire, flush, text, all } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')

const lit = (comp) => all(comp, '.star--on').length

test('five stars to tap, with Douban own word for each', async () => {
  const stars = await renderComponent('rate-stars', { value: 0 })
  const changes = recordEvents(stars, 'change')
  expect(all(stars, '.star')).toHaveLength(5)
  expect(text(stars.querySelector('.word'))).toBe('点星星打分')
  const words = []
  for (const index of [0, 1, 2, 3, 4]) {
    all(stars, '.star')[index].dispatchEvent('tap')
    await flush()
    words.push([lit(stars), text(stars.querySelector('.word'))])
  }
  expect(words).toEqual([
    [1, '很差'],
    [2, '较差'],
    [3, '还行'],
    [4, '推荐'],
    [5, '力荐'],
  ])
  expect(changes.map((change) => change.value)).toEqual([1, 2, 3, 4, 5])
})

test('tapping the star already given takes the rating back', async () => {
  const stars = await renderComponent('rate-stars', { value: 4 })
  const changes = recordEvents(stars, 'change')
  all(stars, '.star')[3].dispatchEvent('tap')
  await flush()
  expect(changes).toEqual([{ value: 0 }])
  expect(lit(stars)).toBe(0)
})

test('readonly shows the stars alone and ignores taps', async () => {
  const stars = await renderComponent('rate-stars', { value: 3, readonly: true })
  const changes = recordEvents(stars, 'change')
  expect(stars.querySelector('.word')).toBeFalsy()
  await fire(stars, '.star')
  expect(changes).toEqual([])
  expect(lit(stars)).toBe(3)
})
