/**
 * 导入豆瓣记录: bringing a person's Douban history into the seen list, with
 * their stars, in one of two ways:
 *
 * - a file they exported (豆伴's xlsx, doumark's CSV or JSON, NeoDB's CSV or
 *   zip …) and sent to a chat: picked with wx.chooseMessageFile, read with the
 *   FileSystemManager and sent to `POST /imports`, which answers the films at
 *   once;
 * - their Douban id or profile link: `POST /imports/douban-user` starts a job
 *   that reads their public 看过 list, polled with `GET /imports/{id}`
 *   (api.pollImport). Douban often refuses; its message points to the file.
 *
 * Either way the films are merged by marks.importHistory, and the person is
 * told how many were added.
 */
const api = require('./api')
const marks = require('./marks')

// POST /imports takes a body of at most 2.5 MB (the API's MAX_IMPORT_BODY_BYTES).
const MAX_BODY_BYTES = (5 * 1024 * 1024) / 2
// The JSON around the file in the body: {"filename": …, "content": "…", "encoding": "base64"}.
const BODY_OVERHEAD = 600
// What the export tools write. The picker shows only these (it filters by extension).
const EXTENSIONS = ['xlsx', 'csv', 'json', 'zip', 'xml', 'txt']
const BINARY = /\.(xlsx|zip)$/i
const USER_LENGTH = 300

class ImportProblem extends Error {
  /** `message` is for the person; `offline`: no network, try again. */
  constructor(message, { offline = false } = {}) {
    super(message)
    this.name = 'ImportProblem'
    this.offline = offline
  }
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** The file picked from a chat, or null when the person cancelled. */
function chooseChatFile() {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: EXTENSIONS,
      success: ({ tempFiles }) => resolve((tempFiles && tempFiles[0]) || null),
      fail: ({ errMsg = '' } = {}) => {
        if (/cancel/i.test(errMsg)) resolve(null)
        else if (/privacy/i.test(errMsg)) {
          // Declined (or not declared) in the privacy guide: 选中的文件 (see the README).
          reject(new ImportProblem('需要同意《用户隐私保护指引》才能从聊天中选择文件'))
        } else reject(new ImportProblem('没能打开聊天里的文件，请重试'))
      },
    })
  })
}

function readFile(filePath, encoding) {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath,
      encoding,
      success: ({ data }) => resolve(data),
      fail: () => reject(new ImportProblem('没能读取这个文件，请重新发送到聊天后再试')),
    })
  })
}

function utf8Length(text) {
  let bytes = 0
  for (const char of text) {
    const code = char.codePointAt(0)
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return bytes
}

const tooLarge = (size) =>
  new ImportProblem(`这个文件有 ${megabytes(size)}，太大了。观影记录的导出文件一般不到 2 MB，请确认选对了文件`)

/**
 * The body of POST /imports for a chat file. Its bytes go as base64 whenever
 * that fits: the server then reads any encoding (a CSV that Excel saved as
 * GB18030, UTF-16 …), where reading it as text here would garble it. An xlsx
 * or zip can only go so; a text file too large for base64 goes as UTF-8 text.
 */
async function fileBody(file) {
  if (file.size > MAX_BODY_BYTES) throw tooLarge(file.size)
  const base64Fits = Math.ceil(file.size / 3) * 4 + BODY_OVERHEAD <= MAX_BODY_BYTES
  if (base64Fits || BINARY.test(file.name)) {
    if (!base64Fits) throw tooLarge(file.size)
    return { filename: file.name, content: await readFile(file.path, 'base64'), encoding: 'base64' }
  }
  const body = { filename: file.name, content: await readFile(file.path, 'utf8'), encoding: 'text' }
  if (utf8Length(JSON.stringify(body)) > MAX_BODY_BYTES) throw tooLarge(file.size)
  return body
}

/** What a failed call means for an import, in words for the person. */
function problemFrom(error) {
  if (error.name !== 'ApiError') return new ImportProblem('导入出了点问题，请重试')
  // The server's own message says what is wrong with the file (and what to send instead).
  if (error.serverMessage) return new ImportProblem(error.serverMessage, { offline: error.offline })
  if (error.code === 'payload_too_large') return new ImportProblem('文件太大了，服务器收不下：请确认选对了文件')
  if (error.refused('user')) return new ImportProblem('没认出这个豆瓣用户：请填豆瓣 ID（如 ahbei）或个人主页链接')
  return new ImportProblem(error.message, { offline: error.offline })
}

/**
 * Picks a file from a chat, reads it and imports it. Resolves the merge's
 * summary (marks.importHistory) with the file's `format`, or null when the
 * person picked nothing; rejects an ImportProblem.
 */
async function importChatFile() {
  const file = await chooseChatFile()
  if (!file) return null
  const body = await fileBody(file)
  let history
  try {
    history = await api.importFile(body)
  } catch (error) {
    throw problemFrom(error)
  }
  return { ...marks.importHistory(history.entries), format: history.format, skipped: history.skipped || 0 }
}

/** Why `user` cannot be sent as a Douban id or profile link, or ''. */
function validateUser(user) {
  const text = String(user || '').trim()
  if (!text) return '请填写豆瓣 ID 或个人主页链接'
  if (Array.from(text).length > USER_LENGTH) return '豆瓣 ID 或链接太长了'
  return ''
}

/** Starts an import by Douban id; resolves the import's id, rejects an ImportProblem. */
async function startUserImport(user) {
  try {
    const { id } = await api.importDoubanUser(String(user).trim())
    return id
  } catch (error) {
    throw problemFrom(error)
  }
}

/**
 * The lines that tell the person what an import did: `headline` (how many
 * films were added) and `details` (ratings, films already there, wishes, and
 * the rows the server skipped: no Douban film in them, or one listed before).
 */
function describeSummary({ added, starred, rated, known, wished, skipped = 0 }) {
  const headline = added ? `添加了 ${added} 部看过的电影` : '没有需要添加的新电影'
  const details = [
    added && starred ? `其中 ${starred} 部带着你的评分` : '',
    rated ? `更新了 ${rated} 部的评分` : '',
    known ? `${known} 部已经在看过列表里` : '',
    wished ? `${wished} 部想看的没有导入` : '',
    skipped ? `${skipped} 条不是豆瓣电影或重复了，已跳过` : '',
  ].filter(Boolean)
  return { headline, details: details.join('，') }
}

module.exports = {
  MAX_BODY_BYTES,
  EXTENSIONS,
  ImportProblem,
  importChatFile,
  validateUser,
  startUserImport,
  problemFrom,
  describeSummary,
}
