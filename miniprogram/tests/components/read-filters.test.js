const { renderComponent, tapText, text, all, attr } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')

const READ = [
  { field: 'countries', value: ['韩国'], words: ['韩国'], label: '韩国', source: 'words' },
  { field: 'years', value: { from: 2015, to: null }, words: ['2015年以后'], label: '2015 年及以后', source: 'words' },
]

test('each filter read from the words is a chip that says what it holds', async () => {
  const chips = await renderComponent('read-filters', { filters: READ })
  expect(text(chips.querySelector('.read-filters__lead'))).toBe('按你说的')
  expect(all(chips, '.chip__label').map(text)).toEqual(['韩国', '2015 年及以后'])
  expect(all(chips, '.chip__remove').map((icon) => attr(icon, 'src'))).toEqual([
    '/assets/icons/close.svg',
    '/assets/icons/close.svg',
  ])
})

test('tapping a chip asks to remove that filter', async () => {
  const chips = await renderComponent('read-filters', { filters: READ })
  const removed = recordEvents(chips, 'remove')
  await tapText(chips, '.chip', '2015 年及以后')
  expect(removed).toEqual([{ field: 'years' }])
})

test('without filters read there is nothing to show', async () => {
  const chips = await renderComponent('read-filters', { filters: [] })
  expect(chips.querySelector('.read-filters')).toBeFalsy()
})
