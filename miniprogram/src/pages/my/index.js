const storage = require('../../utils/storage')
const marks = require('../../utils/marks')
const sync = require('../../utils/sync')
const { modeLabel, LIMITS } = require('../../utils/query')
const { resultsUrl, movieUrl, takeIntent, agreementUrl, PAGES } = require('../../utils/routes')
const { toCard } = require('../../utils/movie')

// A long seen list (an imported history holds thousands) is drawn a page at a time as the person scrolls.
const PAGE_SIZE = 100

// The lists this page edits, in tab order; `status` is the mark each holds (history is no mark).
// Each empty list says what would be there, and offers one way to fill it: go and get
// recommendations, or (the seen list) import the Douban history.
const LISTS = {
  history: {
    store: storage.history,
    label: '历史',
    empty: { title: '还没有推荐记录', message: '选几个喜欢的类型，或说说想看什么，推荐会记在这里', action: 'recommend' },
  },
  seen: {
    store: storage.seen,
    status: 'seen',
    label: '看过',
    empty: { title: '还没有看过的电影', message: '在上面添加，或导入豆瓣记录，以后推荐会自动跳过它们', action: 'import' },
  },
  favourites: {
    store: storage.favourites,
    status: 'favourite',
    label: '收藏',
    empty: { title: '还没有收藏', message: '在推荐里点“收藏”，喜欢的电影随时回来看', action: 'recommend' },
  },
  disliked: {
    store: storage.disliked,
    status: 'disliked',
    label: '不感兴趣',
    empty: { title: '没有不感兴趣的电影', message: '在推荐里点“不感兴趣”，它和类似的电影会少出现', action: 'recommend' },
  },
}

function pad(number) {
  return String(number).padStart(2, '0')
}

function formatTime(timestamp) {
  const date = new Date(timestamp)
  return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}

const DECORATE = {
  history: (entry) => ({
    ...entry,
    modeLabel: modeLabel(entry.query.mode),
    time: formatTime(entry.at),
    reopens: Boolean(storage.reopenableRequest(entry)),
  }),
  seen: (entry) => ({ ...entry, rating: entry.rating || 0 }),
  // Another phone's favourite has no Douban record until it is opened: title and year alone.
  favourites: (entry) => ({
    ...entry,
    card: entry.douban
      ? toCard({ rank: entry.rank, status: 'found', douban: entry.douban, partial: entry.partial })
      : null,
  }),
  disliked: (entry) => entry,
}

/**
 * Request history, the seen list (with the person's stars), favourites and
 * 不感兴趣, each editable; 导入豆瓣记录 fills the seen list. Changes go
 * through utils/marks.js, which syncs them. The 用户协议, the 隐私政策 and
 * 删除我的数据 (confirmed first) are a line under the import banner.
 */
const EMPTY_ACTIONS = { recommend: '去推荐', import: '导入豆瓣记录' }

Component({
  data: {
    tab: 'history',
    tabs: [],
    items: { history: [], seen: [], favourites: [], disliked: [] },
    counts: { history: 0, seen: 0, favourites: 0, disliked: 0 },
    empty: LISTS.history.empty,
    emptyActions: EMPTY_ACTIONS,
    editing: false,
    draft: '',
    titleLength: LIMITS.excludeLength,
    importShown: false,
    eraseShown: false,
    rating: null, // the seen film being rated: { key, title, year, value }
  },
  methods: {
    onLoad() {
      this.shownSeen = PAGE_SIZE
    },
    onShow() {
      this.reload()
      // Lists changed by a sync while the page is shown are drawn again.
      if (!this.stopListening) this.stopListening = sync.onSynced(() => this.reload())
      // 导入豆瓣记录 on the home page opens the import here.
      if (takeIntent('import')) this.setData({ importShown: true })
    },
    onHide() {
      if (this.stopListening) this.stopListening()
      this.stopListening = null
    },
    onUnload() {
      this.onHide()
    },
    onReachBottom() {
      if (this.data.tab !== 'seen' || this.shownSeen >= this.data.counts.seen) return
      this.shownSeen += PAGE_SIZE
      this.reload()
    },
    reload() {
      const items = {}
      const counts = {}
      Object.keys(LISTS).forEach((name) => {
        const all = LISTS[name].store.all()
        counts[name] = all.length
        const shown = name === 'seen' ? all.slice(0, this.shownSeen || PAGE_SIZE) : all
        items[name] = shown.map(DECORATE[name])
      })
      const tabs = Object.keys(LISTS).map((name) => ({ value: name, label: LISTS[name].label, count: counts[name] }))
      this.setData({ items, counts, tabs, empty: LISTS[this.data.tab].empty })
    },
    onTabChange(event) {
      this.setData({ tab: event.detail.value, editing: false, empty: LISTS[event.detail.value].empty })
    },
    onEditTap() {
      this.setData({ editing: !this.data.editing })
    },
    onRemoveTap(event) {
      const list = LISTS[this.data.tab]
      const { key } = event.currentTarget.dataset
      if (list.status) marks.remove(list.status, key)
      else list.store.remove(key)
      this.reload()
    },
    onClearTap() {
      const list = LISTS[this.data.tab]
      wx.showModal({
        title: `清空${list.label}？`,
        content: '清空后无法恢复',
        confirmText: '清空',
        confirmColor: '#e5484d', // --color-danger: the modal takes a literal colour
        success: ({ confirm }) => {
          if (!confirm) return
          if (list.status) marks.clear(list.status)
          else list.store.clear()
          this.setData({ editing: false })
          this.reload()
        },
      })
    },
    /** Reopens the same results while their request exists (30 days); asks again with the same query after that. */
    onHistoryTap(event) {
      if (this.data.editing) return
      const entry = this.data.items.history[event.currentTarget.dataset.index]
      wx.navigateTo({ url: resultsUrl(entry.query, storage.reopenableRequest(entry)) })
    },
    onEmptyAction() {
      if (this.data.empty.action === 'import') this.onImportTap()
      else wx.switchTab({ url: PAGES.home })
    },
    onFavouriteTap(event) {
      if (this.data.editing) return
      const entry = this.data.items.favourites[event.currentTarget.dataset.index]
      wx.navigateTo({ url: movieUrl({ doubanId: entry.doubanId, requestId: entry.requestId, rank: entry.rank }) })
    },
    onDraftInput(event) {
      this.setData({ draft: event.detail.value })
    },
    /** Films seen elsewhere can be typed in, so they are never recommended. */
    onAddSeen() {
      const title = this.data.draft.trim()
      if (!title) return
      marks.toggleSeen({ title })
      this.setData({ draft: '' })
      this.reload()
    },

    /** A seen film tapped: its rating sheet opens. */
    onSeenTap(event) {
      if (this.data.editing) return
      const entry = this.data.items.seen[event.currentTarget.dataset.index]
      this.setData({ rating: { key: entry.key, title: entry.title, year: entry.year, value: entry.rating } })
    },
    onRate(event) {
      const { key, title } = this.data.rating
      const entry = storage.seen.find(key)
      if (!entry) return
      const stars = event.detail.value
      marks.rate({ doubanId: entry.doubanId, title, year: entry.year }, stars)
      wx.showToast({ title: stars ? `已给《${title}》${stars} 星` : '已取消评分', icon: 'none' })
      this.setData({ rating: null })
      this.reload()
    },
    onRatingClose() {
      this.setData({ rating: null })
    },

    onAgreementTap(event) {
      wx.navigateTo({ url: agreementUrl(event.currentTarget.dataset.doc) })
    },
    // 删除我的数据: confirmed in its sheet, which erases; the lists here are then empty.
    onEraseTap() {
      this.setData({ eraseShown: true })
    },
    onEraseClose() {
      this.setData({ eraseShown: false })
    },
    onErased() {
      this.shownSeen = PAGE_SIZE
      this.setData({ eraseShown: false, tab: 'history', editing: false, empty: LISTS.history.empty })
      this.reload()
      wx.showToast({ title: '你的数据已全部删除', icon: 'none' })
    },
    onImportTap() {
      this.setData({ importShown: true })
    },
    onImportClose() {
      this.setData({ importShown: false })
    },
    onImported() {
      this.setData({ tab: 'seen', editing: false, empty: LISTS.seen.empty })
      this.reload()
    },
  },
})
