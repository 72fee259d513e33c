const api = require('../../utils/api')
const storage = require('../../utils/storage')
const { buildExclude, describeQuery, modeLabel } = require('../../utils/query')
const { queryFromOptions, movieUrl } = require('../../utils/routes')
const { toCards, progressText } = require('../../utils/movie')

const THINKING = '正在思考推荐什么…'

const PROBLEMS = {
  badLink: {
    type: 'error',
    title: '没能读懂这次推荐',
    message: '推荐条件不完整，请回到首页重新选择',
    actionText: '',
  },
  empty: {
    type: 'empty',
    title: '没有找到合适的电影',
    message: '这批推荐在豆瓣上都没找到，换一批试试，或回首页换个说法',
    actionText: '换一批',
  },
}

function placeholders(count) {
  return Array.from({ length: count }, (_, index) => index)
}

function problemFromError(error) {
  return error.offline
    ? { type: 'offline', title: '', message: error.message, actionText: '重试' }
    : { type: 'error', title: '推荐没能完成', message: error.message, actionText: '重试' }
}

/**
 * Creates a recommendation, polls it while the page is visible and fills the
 * cards in as Douban answers (then, slowly, while some are partial: see
 * api.pollRecommendation). 换一批 asks again, excluding every title shown here
 * and the seen list, and names the current request as `previous`.
 */
Component({
  data: {
    modeLabel: '',
    queryLabel: '',
    progress: '',
    skeletons: [],
    cards: [],
    problem: null,
    ready: false, // a valid query: 换一批 is possible
  },
  methods: {
    onLoad(options) {
      this.query = queryFromOptions(options)
      this.shownTitles = new Set()
      this.batch = 0
      this.hidden = false
      if (!this.query) {
        this.setData({ problem: PROBLEMS.badLink })
        return
      }
      const label = describeQuery(this.query)
      this.setData({ modeLabel: modeLabel(this.query.mode), queryLabel: label, ready: true })
      storage.history.add(storage.historyEntry(this.query, label))
      this.requestBatch('')
    },
    onShow() {
      this.hidden = false
      // The seen list or favourites may have changed on the movie page.
      if (this.view) this.render(this.view)
      if (this.poller) this.poller.start()
    },
    onHide() {
      this.hidden = true
      this.stopPolling()
    },
    onUnload() {
      this.onHide()
    },
    onPullDownRefresh() {
      this.refresh()
      wx.stopPullDownRefresh()
    },

    /** POSTs a new request; `previous` is the request it replaces (换一批) or ''. */
    async requestBatch(previous) {
      const batch = ++this.batch // a newer batch wins over an older one still on its way
      this.stopPolling()
      this.poller = null
      this.requestId = ''
      this.previous = previous
      this.view = null
      this.setData({ cards: [], skeletons: placeholders(this.query.count), progress: THINKING, problem: null })
      const body = {
        ...this.query,
        exclude: buildExclude(Array.from(this.shownTitles).reverse(), storage.seenTitles()),
      }
      if (previous) body.previous = previous
      try {
        const { id } = await this.create(body, batch)
        if (batch === this.batch) this.watch(id)
      } catch (error) {
        if (batch === this.batch) this.showError(error)
      }
    },
    /**
     * POSTs `body`. Requests expire (after 30 days), and a `previous` one the
     * backend no longer knows is refused: ask once more without it, since the
     * exclude list already holds every title it showed.
     */
    async create(body, batch) {
      try {
        return await api.createRecommendation(body)
      } catch (error) {
        if (!body.previous || !error.refused('previous')) throw error
        const { previous, ...rest } = body
        if (batch === this.batch) this.previous = ''
        return api.createRecommendation(rest)
      }
    },
    watch(requestId) {
      this.stopPolling()
      this.requestId = requestId
      this.poller = api.pollRecommendation(requestId, {
        onUpdate: (view) => this.render(view),
        onError: (error) => this.showError(error),
      })
      if (!this.hidden) this.poller.start()
    },
    stopPolling() {
      if (this.poller) this.poller.stop()
    },
    render(view) {
      this.view = view
      if (view.status === 'failed') {
        this.setData({
          skeletons: [],
          progress: '',
          problem: { type: 'error', title: '推荐没能完成', message: api.describeFailure(view.error), actionText: '重试' },
        })
        return
      }
      const cards = toCards(view, { seenKeys: storage.seen.keys(), favouriteKeys: storage.favourites.keys() })
      cards.forEach((card) => this.shownTitles.add(card.title))
      const thinking = view.movies.length === 0 && !api.isFinal(view)
      this.setData({
        cards,
        skeletons: thinking ? placeholders(view.count) : [],
        progress: progressText(view),
        problem: view.status === 'done' && cards.length === 0 ? PROBLEMS.empty : null,
      })
    },
    showError(error) {
      this.setData({ skeletons: [], progress: '', problem: problemFromError(error) })
    },
    /** Pull-down and 重试: ask again if the request never started or failed, else poll afresh. */
    refresh() {
      if (!this.query) return
      const failed = !this.requestId || (this.view && this.view.status === 'failed')
      if (failed) this.requestBatch(this.previous)
      else this.watch(this.requestId)
    },
    onMoreTap() {
      wx.pageScrollTo({ scrollTop: 0, duration: 200 })
      this.requestBatch(this.requestId || this.previous)
    },
    onStateAction(event) {
      if (event.detail.type === 'empty') this.onMoreTap()
      else this.refresh()
    },
    movieAt(rank) {
      return this.view.movies.find((movie) => movie.rank === rank)
    },
    onCardOpen(event) {
      const movie = this.movieAt(event.detail.rank)
      wx.navigateTo({ url: movieUrl({ doubanId: movie.douban.id, requestId: this.requestId, rank: movie.rank }) })
    },
    onToggleSeen(event) {
      const movie = this.movieAt(event.detail.rank)
      const douban = movie.douban || {}
      const kept = storage.seen.toggle(
        storage.seenEntry({ doubanId: douban.id, title: douban.title || movie.title, year: douban.year || movie.year }),
      )
      wx.showToast({ title: kept ? '已标记看过，以后不再推荐' : '已移出看过', icon: 'none' })
      this.render(this.view)
    },
    onToggleFavourite(event) {
      const movie = this.movieAt(event.detail.rank)
      const kept = storage.favourites.toggle(
        storage.favouriteEntry({
          douban: movie.douban,
          partial: movie.partial,
          reason: movie.reason,
          requestId: this.requestId,
          rank: movie.rank,
        }),
      )
      wx.showToast({ title: kept ? '已收藏' : '已取消收藏', icon: 'none' })
      this.render(this.view)
    },
  },
})
