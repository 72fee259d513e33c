const { renderComponent, fire, flush, text, all, attr } = require('../helpers/render')
const { recordEvents } = require('../helpers/events')

const OPTIONS = ['科幻', '悬疑', '爱情', '喜剧', '动画', '犯罪', '治愈', '纪录片', '战争', '恐怖']

async function renderPicker(selected = []) {
  const picker = await renderComponent('tag-picker', { options: OPTIONS, selected })
  return { picker, changes: recordEvents(picker, 'change') }
}

function chip(picker, name) {
  return all(picker, '.chip').find((each) => text(each).startsWith(name))
}

function selectedChips(picker) {
  return all(picker, '.chip--selected').map(text)
}

async function tapChip(picker, name) {
  chip(picker, name).dispatchEvent('tap')
  await flush()
}

async function addCustom(picker, value) {
  await fire(picker, '.custom__input', 'input', { value })
  await fire(picker, '.custom__add')
}

test('shows every common tag as a chip', async () => {
  const { picker } = await renderPicker()
  expect(all(picker, '.chip').map(text)).toEqual(OPTIONS)
  expect(text(picker.querySelector('.footnote'))).toBe('已选 0/8 个标签')
})

test('tapping a chip toggles it and reports the selection', async () => {
  const { picker, changes } = await renderPicker()
  await tapChip(picker, '科幻')
  await tapChip(picker, '悬疑')
  expect(selectedChips(picker)).toEqual(['科幻', '悬疑'])
  await tapChip(picker, '科幻')
  expect(selectedChips(picker)).toEqual(['悬疑'])
  expect(changes).toEqual([{ tags: ['科幻'] }, { tags: ['科幻', '悬疑'] }, { tags: ['悬疑'] }])
  expect(text(picker.querySelector('.footnote'))).toBe('已选 1/8 个标签')
})

test('refuses a ninth tag, as the API does', async () => {
  const { picker, changes } = await renderPicker(OPTIONS.slice(0, 8))
  await tapChip(picker, '恐怖')
  expect(changes).toEqual([])
  expect(selectedChips(picker)).toHaveLength(8)
  expect(text(picker.querySelector('.footnote'))).toBe('最多选择 8 个标签')
})

test('adds a custom tag, which joins the grid selected and leaves it when tapped', async () => {
  const { picker, changes } = await renderPicker(['科幻'])
  await addCustom(picker, '  赛博朋克 ')
  expect(changes).toEqual([{ tags: ['科幻', '赛博朋克'] }])
  expect(attr(picker.querySelector('.custom__input'), 'value')).toBe('')
  const custom = chip(picker, '赛博朋克')
  expect(attr(custom, 'class')).toContain('chip--custom')
  expect(attr(custom, 'class')).toContain('chip--selected')

  await tapChip(picker, '赛博朋克')
  expect(chip(picker, '赛博朋克')).toBeUndefined()
  expect(changes[1]).toEqual({ tags: ['科幻'] })
})

test.each([
  ['a duplicate', '科幻', '这个标签已经选上了'],
  ['a 21-character tag', '长'.repeat(21), '标签最多 20 个字'],
  ['a blank tag', '   ', '请输入标签'],
])('explains why %s cannot be added', async (_, value, problem) => {
  const { picker, changes } = await renderPicker(['科幻'])
  await addCustom(picker, value)
  expect(changes).toEqual([])
  expect(text(picker.querySelector('.footnote'))).toBe(problem)
})
