const api = require('../../utils/api')
const marks = require('../../utils/marks')
const douban = require('../../utils/douban-import')

// Douban's refusals that only the file import gets round.
const FILE_INSTEAD = ['douban_refused', 'no_public_history', 'douban_unavailable', 'timeout']
// What a failure offers to do next with a file (the sheet's one main action).
const FILE_ACTIONS = { fileInstead: '改用文件导入', fileAgain: '重新选择文件' }

/**
 * 导入豆瓣记录 (utils/douban-import.js): from a chat file, or by Douban id
 * with the import polled until it is done. Steps: choose → working → done or
 * failed. Triggers `imported` with `{summary}` once films are merged (the page
 * reloads its lists) and `close`. An import by id goes on while the sheet is
 * closed, for as long as the page is there.
 */
Component({
  properties: {
    show: { type: Boolean, value: false },
  },
  data: {
    step: 'choose',
    user: '',
    userProblem: '',
    working: '',
    result: null, // { headline, details }
    failure: null, // { message, fileText: the file button's words, or '' }
  },
  lifetimes: {
    detached() {
      if (this.poller) this.poller.stop()
    },
  },
  methods: {
    onClose() {
      this.triggerEvent('close')
      // A finished or failed import starts afresh next time; one under way is kept.
      if (this.data.step !== 'working') this.setData({ step: 'choose', failure: null, result: null })
    },
    async onChooseFile() {
      this.setData({ step: 'working', working: '正在读取文件…' })
      let summary
      try {
        summary = await douban.importChatFile()
      } catch (error) {
        // Another file may work (or, after the privacy guide is agreed to, the same one).
        this.fail(error.message, 'fileAgain')
        return
      }
      if (summary) this.finish(summary)
      else this.setData({ step: 'choose' }) // nothing picked
    },
    onUserInput(event) {
      this.setData({ user: event.detail.value, userProblem: '' })
    },
    async onStartUser() {
      const userProblem = douban.validateUser(this.data.user)
      if (userProblem) {
        this.setData({ userProblem })
        return
      }
      this.setData({ step: 'working', working: '正在连接豆瓣…' })
      let id
      try {
        id = await douban.startUserImport(this.data.user)
      } catch (error) {
        this.fail(error.message, '')
        return
      }
      this.poller = api.pollImport(id, {
        onUpdate: (view) => this.onImportUpdate(view),
        onError: (error) => this.fail(douban.problemFrom(error).message, ''),
      })
    },
    onImportUpdate(view) {
      const read = (view.entries || []).length
      if (view.status === 'done') {
        this.finish({ ...marks.importHistory(view.entries), skipped: view.skipped || 0 })
        return
      }
      if (view.status === 'failed') {
        const error = view.error || {}
        // Films read before Douban refused are kept.
        if (read) this.triggerEvent('imported', { summary: marks.importHistory(view.entries) })
        const kept = read ? `已先导入读到的 ${read} 部。` : ''
        const message = `${kept}${error.message || '从豆瓣读取失败了，请稍后再试'}`
        this.fail(message, FILE_INSTEAD.includes(error.code) ? 'fileInstead' : '')
        return
      }
      const total = view.total ? ` / ${view.total}` : ''
      this.setData({ working: read ? `正在从豆瓣读取… 已读 ${read}${total} 部` : '正在从豆瓣读取…' })
    },
    finish(summary) {
      this.setData({ step: 'done', result: douban.describeSummary(summary) })
      this.triggerEvent('imported', { summary })
    },
    /** `file`: the way on that the failure offers, 'fileInstead' (改用文件导入), 'fileAgain' (重新选择文件) or ''. */
    fail(message, file) {
      this.setData({ step: 'failed', failure: { message, fileText: FILE_ACTIONS[file] || '' } })
    },
    onBack() {
      this.setData({ step: 'choose', failure: null })
    },
    onDone() {
      this.onClose()
    },
  },
})
