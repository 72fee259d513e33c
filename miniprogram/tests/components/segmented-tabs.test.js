const { renderComponent, flush, text, all, attr } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')

const ITEMS = [
  { value: 5, label: '5 部' },
  { value: 8, label: '8 部' },
  { value: 10, label: '10 部' },
]

function active(tabs) {
  return all(tabs, '.segment--active').map(text)
}

test('marks the current value and reports a new choice with its original type', async () => {
  const tabs = await renderComponent('segmented-tabs', { items: ITEMS, value: 8, variant: 'pills' })
  const changes = recordEvents(tabs, 'change')
  expect(active(tabs)).toEqual(['8 部'])
  expect(attr(tabs.querySelector('.segmented'), 'class')).toContain('segmented--pills')

  all(tabs, '.segment')[2].dispatchEvent('tap')
  await flush()
  expect(changes).toEqual([{ value: 10 }])
  expect(active(tabs)).toEqual(['10 部'])
})

test('tapping the current choice changes nothing', async () => {
  const tabs = await renderComponent('segmented-tabs', { items: ITEMS, value: 8 })
  const changes = recordEvents(tabs, 'change')
  all(tabs, '.segment')[1].dispatchEvent('tap')
  await flush()
  expect(changes).toEqual([])
})

test('a count is drawn beside its label', async () => {
  const items = [
    { value: 'seen', label: '看过', count: 12 },
    { value: 'disliked', label: '不感兴趣', count: 0 },
  ]
  const tabs = await renderComponent('segmented-tabs', { items, value: 'seen' })
  expect(all(tabs, '.segment').map(text)).toEqual(['看过 12', '不感兴趣'])
  expect(text(tabs.querySelector('.segment__count'))).toBe('12')
})
