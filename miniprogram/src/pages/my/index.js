const storage = require('../../utils/storage')
const { modeLabel, LIMITS } = require('../../utils/query')
const { resultsUrl, movieUrl, PAGES } = require('../../utils/routes')
const { toCard } = require('../../utils/movie')

// The three lists this page edits, in tab order.
// Each empty list says what would be there, and offers to go and get recommendations.
const LISTS = {
  history: {
    store: storage.history,
    label: '历史',
    empty: { title: '还没有推荐记录', message: '选几个喜欢的类型，或说说想看什么，推荐会记在这里' },
  },
  seen: {
    store: storage.seen,
    label: '看过',
    empty: { title: '还没有看过的电影', message: '在上面添加，或在推荐里点“看过”，以后推荐会自动跳过它们' },
  },
  favourites: {
    store: storage.favourites,
    label: '收藏',
    empty: { title: '还没有收藏', message: '在推荐里点“收藏”，喜欢的电影随时回来看' },
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
  seen: (entry) => entry,
  favourites: (entry) => ({
    ...entry,
    card: toCard({ rank: entry.rank, status: 'found', douban: entry.douban, partial: entry.partial }),
  }),
}

/** Request history, seen list and favourites, each editable. */
Component({
  data: {
    tab: 'history',
    tabs: [],
    items: { history: [], seen: [], favourites: [] },
    empty: LISTS.history.empty,
    editing: false,
    draft: '',
    titleLength: LIMITS.excludeLength,
  },
  methods: {
    onShow() {
      this.reload()
    },
    reload() {
      const items = {}
      Object.keys(LISTS).forEach((name) => {
        items[name] = LISTS[name].store.all().map(DECORATE[name])
      })
      const tabs = Object.keys(LISTS).map((name) => ({
        value: name,
        label: items[name].length ? `${LISTS[name].label} ${items[name].length}` : LISTS[name].label,
      }))
      this.setData({ items, tabs, empty: LISTS[this.data.tab].empty })
    },
    onTabChange(event) {
      this.setData({ tab: event.detail.value, editing: false, empty: LISTS[event.detail.value].empty })
    },
    onEditTap() {
      this.setData({ editing: !this.data.editing })
    },
    onRemoveTap(event) {
      LISTS[this.data.tab].store.remove(event.currentTarget.dataset.key)
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
          list.store.clear()
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
    onGoRecommend() {
      wx.switchTab({ url: PAGES.home })
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
      storage.seen.add(storage.seenEntry({ title }))
      this.setData({ draft: '' })
      this.reload()
    },
  },
})
