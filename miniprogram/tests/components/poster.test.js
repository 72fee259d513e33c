const { renderComponent, fire, flush, text, attr } = require('../helpers/render')

const POSTER = 'https://img9.doubanio.com/view/photo/s_ratio_poster/public/p3541415.jpg'

test('loads the poster lazily and without a referrer, which Douban requires', async () => {
  const poster = await renderComponent('poster', { src: POSTER })
  const image = poster.querySelector('.image')
  expect(attr(image, 'src')).toBe(POSTER)
  expect(attr(image, 'referrerPolicy')).toBe('no-referrer')
  expect(attr(image, 'lazyLoad')).toBe(true)
  expect(poster.querySelector('.placeholder')).toBeFalsy()
})

test('shows a placeholder when the poster fails, and tries a new poster again', async () => {
  const poster = await renderComponent('poster', { src: POSTER })
  await fire(poster, '.image', 'error', { errMsg: 'GET 403' })
  expect(poster.querySelector('.image')).toBeFalsy()
  expect(text(poster.querySelector('.placeholder'))).toContain('暂无海报')

  poster.setData({ src: 'https://img9.doubanio.com/p2.jpg' })
  await flush()
  expect(attr(poster.querySelector('.image'), 'src')).toBe('https://img9.doubanio.com/p2.jpg')
})

test('shows the placeholder when there is no poster at all', async () => {
  const poster = await renderComponent('poster', { src: '' })
  expect(poster.querySelector('.image')).toBeFalsy()
  expect(poster.querySelector('.placeholder')).toBeTruthy()
})

test('fades the poster in once it has loaded', async () => {
  const poster = await renderComponent('poster', { src: POSTER })
  expect(attr(poster.querySelector('.image'), 'class')).not.toContain('image--loaded')
  await fire(poster, '.image', 'load')
  expect(attr(poster.querySelector('.image'), 'class')).toContain('image--loaded')
})
