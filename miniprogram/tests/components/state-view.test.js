const fs = require('fs')
const path = require('path')
const { renderComponent, fire, text, attr } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')

test.each([
  ['offline', 'wifi-off', '网络好像断开了'],
  ['error', 'alert', '出了点问题'],
  ['empty', 'film', '这里空空的'],
])('a %s state has its own icon and heading', async (type, icon, heading) => {
  const state = await renderComponent('state-view', { type, message: '请稍后再试' })
  expect(attr(state.querySelector('.icon__image'), 'src')).toBe(`/assets/icons/${icon}.svg`)
  expect(fs.existsSync(path.resolve(__dirname, `../../src/assets/icons/${icon}.svg`))).toBe(true)
  expect(text(state.querySelector('.heading'))).toBe(heading)
  expect(text(state.querySelector('.message'))).toBe('请稍后再试')
})

test('a given title replaces the default heading', async () => {
  const state = await renderComponent('state-view', { type: 'error', title: '推荐没能完成' })
  expect(text(state.querySelector('.heading'))).toBe('推荐没能完成')
})

test('the action button reports which state it belongs to', async () => {
  const state = await renderComponent('state-view', { type: 'offline', actionText: '重试' })
  const actions = recordEvents(state, 'action')
  expect(text(state.querySelector('.action'))).toBe('重试')
  await fire(state, '.action')
  expect(actions).toEqual([{ type: 'offline' }])
})

test('without an action text there is no button', async () => {
  const state = await renderComponent('state-view', { type: 'empty' })
  expect(state.querySelector('.action')).toBeFalsy()
})
