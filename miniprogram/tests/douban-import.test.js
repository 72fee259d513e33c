/**
 * 导入豆瓣记录 (utils/douban-import.js): a file picked from a chat is read and
 * sent to POST /imports in the encoding that keeps it whole; failures say what
 * to do in words for people.
 */
const douban = require('../src/utils/douban-import')
const storage = require('../src/utils/storage')
const { createBackend, reply, offline } = require('./helpers/backend')
const { chatFile } = require('./helpers/wx')
const { rejectionOf } = require('./helpers/events')

let backend
beforeEach(() => {
  backend = createBackend()
})

const DOUMARK_CSV = [
  'id,title,intro,poster,pubdate,url,rating,genres,star,comment,tags,star_time,card',
  '1,肖申克的救赎,,,1994,https://movie.douban.com/subject/1292052/,9.7,剧情,5,,,2024-06-24 19:00:14,',
].join('\n')

const HISTORY = {
  format: 'doumark_csv',
  entries: [
    { douban_id: '1292052', title: '肖申克的救赎', rating: 5, marked_at: 1719226814000, status: 'seen' },
    { douban_id: '1291546', title: '霸王别姬', rating: null, marked_at: 1719000000000, status: 'seen' },
  ],
  skipped: 1,
}

const sent = () => backend.callsTo('POST', '/imports').map((call) => call.data)

const problemOf = rejectionOf

describe('from a chat file', () => {
  test('the picker shows the export formats only, one file at a time', async () => {
    await douban.importChatFile()
    expect(wx.chooseMessageFile).toHaveBeenCalledWith(
      expect.objectContaining({ count: 1, type: 'file', extension: ['xlsx', 'csv', 'json', 'zip', 'xml', 'txt'] }),
    )
  })

  test('a CSV goes as its bytes in base64 (any encoding survives), and its films join the seen list', async () => {
    backend.onImportFile(HISTORY)
    chatFile('movie.csv', DOUMARK_CSV)
    const summary = await douban.importChatFile()
    expect(sent()).toEqual([
      { filename: 'movie.csv', content: Buffer.from(DOUMARK_CSV).toString('base64'), encoding: 'base64' },
    ])
    expect(summary).toEqual({ added: 2, starred: 1, rated: 0, known: 0, wished: 0, format: 'doumark_csv', skipped: 1 })
    expect(storage.seen.all().map((entry) => [entry.title, entry.rating])).toEqual([
      ['肖申克的救赎', 5],
      ['霸王别姬', null],
    ])
  })

  test('a CSV that Excel saved as GB18030 reaches the server byte for byte', async () => {
    backend.onImportFile(HISTORY)
    const gb18030 = Buffer.from([0xd0, 0xa4, 0xc9, 0xea, 0xbf, 0xcb, 0x2c, 0x31]) // 肖申克,1
    chatFile('movie.csv', gb18030)
    await douban.importChatFile()
    expect(Buffer.from(sent()[0].content, 'base64')).toEqual(gb18030)
  })

  test('a 豆伴 workbook (xlsx) goes as base64', async () => {
    backend.onImportFile({ ...HISTORY, format: 'tofu_xlsx' })
    chatFile('豆伴.xlsx', Buffer.from('PK\u0003\u0004 workbook'))
    await expect(douban.importChatFile()).resolves.toMatchObject({ format: 'tofu_xlsx' })
    expect(sent()[0]).toMatchObject({ filename: '豆伴.xlsx', encoding: 'base64' })
  })

  test('a text file too large for base64 goes as text', async () => {
    backend.onImportFile(HISTORY)
    const csv = `${DOUMARK_CSV}\n${'1,片,,,,https://movie.douban.com/subject/1/,8,剧情,4,,,,\n'.repeat(38000)}`
    expect(Buffer.byteLength(csv)).toBeGreaterThan((douban.MAX_BODY_BYTES * 3) / 4)
    expect(Buffer.byteLength(csv)).toBeLessThan(douban.MAX_BODY_BYTES)
    chatFile('movie.csv', csv)
    await douban.importChatFile()
    expect(sent()[0]).toMatchObject({ encoding: 'text', content: csv })
  })

  test.each([
    ['a file over the limit', 'big.csv', 'x', 3 * 1024 * 1024],
    ['a workbook too large for base64', 'big.xlsx', 'PK', 2 * 1024 * 1024],
  ])('%s is refused here, before anything is sent', async (_, name, content, size) => {
    chatFile(name, content, { size })
    const problem = await problemOf(douban.importChatFile())
    expect(problem.message).toMatch(/^这个文件有 \d\.\d MB，太大了/)
    expect(backend.calls).toHaveLength(0)
  })

  test('nothing picked is no problem: nothing happens', async () => {
    await expect(douban.importChatFile()).resolves.toBeNull()
    expect(backend.calls).toHaveLength(0)
  })

  test('a privacy refusal says what to allow', async () => {
    wx.chooseMessageFile.mockImplementationOnce(({ fail }) =>
      fail({ errMsg: 'chooseMessageFile:fail api scope is not declared in the privacy agreement', errno: 112 }),
    )
    const problem = await problemOf(douban.importChatFile())
    expect(problem.message).toBe('需要同意《用户隐私保护指引》才能从聊天中选择文件')
  })

  test('a file the server cannot read: its message, which says what to send instead', async () => {
    const message = '认不出这个文件的格式。支持：豆伴导出的 xlsx、doumark 同步的 CSV 或 JSON、NeoDB 导出的 *_mark.csv（或整个 zip）。'
    backend.onImportFile(reply(422, { code: 'unknown_format', message, details: [{ field: 'content', message }] }))
    chatFile('notes.txt', 'hello')
    expect((await problemOf(douban.importChatFile())).message).toBe(message)
    expect(storage.seen.all()).toEqual([])
  })

  test('too large for the server, or no network: said plainly', async () => {
    backend.onImportFile(reply(413, { code: 'payload_too_large', message: 'the file must be at most 3 MB' }), offline())
    chatFile('a.csv', DOUMARK_CSV)
    expect((await problemOf(douban.importChatFile())).message).toBe('文件太大了，服务器收不下：请确认选对了文件')
    chatFile('a.csv', DOUMARK_CSV)
    const problem = await problemOf(douban.importChatFile())
    expect(problem).toMatchObject({ message: '网络连接不上，请检查网络后重试', offline: true })
  })
})

describe('by Douban id', () => {
  test('a blank or overlong id is refused here', () => {
    expect(douban.validateUser('  ')).toBe('请填写豆瓣 ID 或个人主页链接')
    expect(douban.validateUser('x'.repeat(301))).toBe('豆瓣 ID 或链接太长了')
    expect(douban.validateUser('https://www.douban.com/people/ahbei/')).toBe('')
  })

  test('starts the import with the id trimmed; one the server does not recognise is said so', async () => {
    backend.onImportUser('imp-1')
    await expect(douban.startUserImport(' ahbei ')).resolves.toBe('imp-1')
    expect(backend.calls[0].data).toEqual({ user: 'ahbei' })

    backend.onImportUser(reply(422, { code: 'invalid_request', details: [{ field: 'user', message: 'not a Douban user' }] }))
    const problem = await problemOf(douban.startUserImport('not a user'))
    expect(problem.message).toBe('没认出这个豆瓣用户：请填豆瓣 ID（如 ahbei）或个人主页链接')
  })
})

test('the summary says how many films were added, with what else happened', () => {
  expect(douban.describeSummary({ added: 612, starred: 430, rated: 5, known: 6, wished: 20 })).toEqual({
    headline: '添加了 612 部看过的电影',
    details: '其中 430 部带着你的评分，更新了 5 部的评分，6 部已经在看过列表里，20 部想看的没有导入',
  })
  expect(douban.describeSummary({ added: 0, starred: 0, rated: 0, known: 3, wished: 0 })).toEqual({
    headline: '没有需要添加的新电影',
    details: '3 部已经在看过列表里',
  })
  // Rows the server skipped (a book, a film listed twice) are not left unexplained.
  expect(douban.describeSummary({ added: 2, starred: 0, rated: 0, known: 0, wished: 0, skipped: 4 })).toEqual({
    headline: '添加了 2 部看过的电影',
    details: '4 条不是豆瓣电影或重复了，已跳过',
  })
})
