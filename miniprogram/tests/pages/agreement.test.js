/**
 * The 用户协议 and 隐私政策 pages: the operator's details from the build's
 * config (never from the page), 未填写 marked where one is missing, and what
 * each text must say for a launch.
 */
const { openPage, text, all } = require('../helpers/render')
const { agreed } = require('../helpers/wx')

const { withOperator: operator } = require('../helpers/operator')

const OPERATOR = {
  name: '影荐科技（北京）有限公司',
  contact: 'privacy@example.cn',
  modelName: '示例大模型',
  modelFiling: 'Beijing-Example-202501010001',
}

const rows = (page) => all(page, '.operator__row').map((row) => text(row))
const body = (page) => all(page, '.section-block').map(text).join('\n')

test('the user agreement names the operator and the filed model, and says how AI text is labelled', async () => {
  operator(OPERATOR)
  const page = await openPage('agreement', { doc: 'terms' })
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '用户协议' })
  expect(rows(page)).toEqual([
    '运营者影荐科技（北京）有限公司',
    '联系方式privacy@example.cn',
    '生成式 AI 服务示例大模型',
    '备案（登记）号Beijing-Example-202501010001',
  ])
  const terms = body(page)
  expect(terms).toContain('影荐是影荐科技（北京）有限公司运营的电影推荐小程序')
  expect(terms).toContain('推荐由「示例大模型」生成，其生成式人工智能服务备案（登记）编号为：Beijing-Example-202501010001')
  expect(terms).toContain('GB 45438-2025')
  expect(terms).toContain('每条推荐理由的开头都带有「AI生成」标签')
  expect(terms).toContain('推荐结果页始终显示提示「推荐理由由 AI 生成，仅供参考」')
  expect(terms).toContain('复制推荐理由、分享含推荐理由的内容时，文字里保留「【AI生成】」')
  expect(terms).toContain('豆瓣的评分、演职员和简介不是 AI 生成的')
  expect(terms).toContain('「反馈」入口')
  expect(terms).toContain('privacy@example.cn')
})

test('the privacy policy says what goes where, what is kept and for how long, and how to delete it', async () => {
  operator(OPERATOR)
  const page = await openPage('agreement', { doc: 'privacy' })
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '隐私政策' })
  const policy = body(page)
  for (const said of [
    '发给 AI 模型服务「示例大模型」',
    '发给微信内容安全接口检查',
    '随推荐结果保存 30 天',
    '保存到你删除为止',
    '保存这个 ID 和读到的电影 1 天',
    '反馈与举报',
    '保存 180 天',
    '最长 7 天',
    '我们从豆瓣读取电影的公开信息',
    '剪贴板',
    '选中的文件',
    '「我的 → 删除我的数据」',
  ]) {
    expect(policy).toContain(said)
  }
})

test('a detail the build lacks reads 未填写, marked, and is never made up', async () => {
  operator({ ...OPERATOR, contact: '', modelFiling: '' })
  const page = await openPage('agreement', { doc: 'terms' })
  const missing = all(page, '.operator__value--missing').map(text)
  expect(missing).toEqual(['未填写', '未填写'])
  expect(body(page)).toContain('备案（登记）编号为：未填写')
})

test('it says when the person agreed; an unknown document opens the user agreement', async () => {
  operator(OPERATOR)
  agreed()
  const page = await openPage('agreement', { doc: 'cookies' })
  expect(text(page.querySelector('.document__title'))).toBe('用户协议')
  expect(text(page.querySelector('.document__version'))).toMatch(/^版本 \d{4}-\d{2}-\d{2} · 你已于 \d{4}-\d{2}-\d{2} 同意$/)
})
