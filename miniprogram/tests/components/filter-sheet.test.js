const { renderComponent, fire, text, all, tapText } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')

async function renderSheet(filters = {}) {
  const sheet = await renderComponent('filter-sheet', { show: true, filters })
  return { sheet, applied: recordEvents(sheet, 'apply'), closed: recordEvents(sheet, 'close') }
}

const tap = (sheet, label) => tapText(sheet, '.choice', label)

const chosen = (sheet) => all(sheet, '.choice--on').map(text)

test('hidden until shown', async () => {
  const sheet = await renderComponent('filter-sheet', { show: false })
  expect(all(sheet, '.choice')).toHaveLength(0)
})

test('opens on what is in force, every row at 不限 otherwise', async () => {
  const { sheet } = await renderSheet({ min_rating: 8, countries: ['美国'] })
  expect(all(sheet, '.row__label').map(text)).toEqual([
    '豆瓣评分',
    '年代',
    '国家/地区可多选',
    '不看的类型可多选',
    '类型',
    '片长',
  ])
  expect(chosen(sheet)).toEqual(['8 分以上', '不限', '美国', '不限', '不限'])
})

test('choices are a draft until 确定, which applies them in the API shape', async () => {
  const { sheet, applied } = await renderSheet()
  await tap(sheet, '9 分以上')
  await tap(sheet, '2000 前')
  await tap(sheet, '韩国')
  await tap(sheet, '中国香港')
  await tap(sheet, '恐怖')
  await tap(sheet, '90 分钟内')
  expect(applied).toEqual([])
  await fire(sheet, '.apply')
  expect(applied).toEqual([
    {
      filters: {
        min_rating: 9,
        years: { to: 1999 },
        countries: ['韩国', '中国香港'],
        genres_exclude: ['恐怖'],
        max_runtime: 90,
      },
    },
  ])
})

test('重置 clears the draft; the dim and × close without applying', async () => {
  const { sheet, applied, closed } = await renderSheet({ min_rating: 8 })
  await fire(sheet, '.reset')
  expect(chosen(sheet)).toEqual(['不限', '不限', '不限', '不限'])
  const frame = sheet.querySelector('.sheet') // the bottom-sheet the choices sit in
  await fire(frame, '.mask')
  await fire(frame, '.close')
  expect(closed).toHaveLength(2)
  expect(applied).toEqual([])
  await fire(sheet, '.apply')
  expect(applied).toEqual([{ filters: {} }])
})
