const api = require('../../utils/api')
const storage = require('../../utils/storage')
const problems = require('../../utils/problems')
const { buildExclude, describeQuery, modeLabel, validateQuery } = require('../../utils/query')
const { queryFromOptions, requestIdFromOptions, movieUrl, sharedResultsPath, PAGES } = require('../../utils/routes')
const { toCards, progressText } = require('../../utils/movie')

const THINKING = '正在思考推荐什么…'
const SHARE_FALLBACK_TITLE = '影荐 · 今天看什么'

const BAD_LINK = problems.problem('error', '没能读懂这个链接', '去首页选选想看的电影吧', 'home')
const EMPTY = problems.problem('empty', '没有找到合适的电影', '这次推荐的电影在豆瓣上都没找到，换一批试试', 'more')

function placeholders(count) {
  return Array.from({ length: count }, (_, index) => index)
}

/**
 * The query a request view was made from (GET /recommendations/{id} gives
 * `mode`, `query` and `count`): a shared page's 换一批 asks for the same.
 */
function queryFromView(view) {
  const query = { mode: view.mode, count: view.count }
  if (view.mode === 'tags') query.tags = String(view.query).split('、')
  else if (view.mode === 'theme') query.theme = view.query
  else query.star = view.query
  return validateQuery(query) ? null : query
}

/**
 * The results of one query. Opened with a query (`q`) it asks for a new
 * request; opened with a request id (`id`, a shared or saved page) it shows
 * that request by polling it, with no new request and no model cost, and if
 * the request has expired it asks again with `q` when it has one.
 *
 * Cards fill in as Douban answers (then, slowly, while some are partial: see
 * api.pollRecommendation). Each state offers one action: none while the
 * answer comes in, 换一批 once it is done, and the problem's own otherwise.
 * 换一批 asks again, excluding every title shown here and the seen list, and
 * names the current request as `previous`.
 */
Component({
  data: {
    modeLabel: '',
    queryLabel: '',
    progress: '',
    skeletons: [],
    cards: [],
    problem: null,
    canAskMore: false, // done with cards: the 换一批 bar shows
  },
  methods: {
    onLoad(options) {
      this.query = queryFromOptions(options)
      this.shownTitles = new Set()
      this.batch = 0
      this.hidden = false
      this.requestId = ''
      this.previous = ''
      this.view = null
      wx.showShareMenu({ menus: ['shareAppMessage', 'shareTimeline'] })
      const requestId = requestIdFromOptions(options)
      if (this.query) this.showQuery(this.query)
      if (requestId) this.reopen(requestId)
      else if (this.query) this.requestBatch('')
      else this.setData({ problem: BAD_LINK })
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

    showQuery(query) {
      const label = describeQuery(query)
      this.label = label
      this.setData({ modeLabel: modeLabel(query.mode), queryLabel: label })
    },
    /** Remembers the query and its latest request in the history, so that it reopens. */
    remember() {
      if (this.query && this.requestId) {
        storage.history.add(storage.historyEntry(this.query, this.label, this.requestId))
      }
    },

    /** Shows an existing request: a shared link, or a history entry. */
    reopen(requestId) {
      this.setData({ skeletons: placeholders(this.query ? this.query.count : 3), progress: THINKING })
      this.watch(requestId)
    },
    /** POSTs a new request; `previous` is the request it replaces (换一批) or ''. */
    async requestBatch(previous) {
      const batch = ++this.batch // a newer batch wins over an older one still on its way
      this.stopPolling()
      this.poller = null
      this.requestId = ''
      this.previous = previous
      this.view = null
      this.setData({
        cards: [],
        skeletons: placeholders(this.query.count),
        progress: THINKING,
        problem: null,
        canAskMore: false,
      })
      const body = {
        ...this.query,
        exclude: buildExclude(Array.from(this.shownTitles).reverse(), storage.seenTitles()),
      }
      if (previous) body.previous = previous
      try {
        const { id } = await this.create(body, batch)
        if (batch !== this.batch) return
        this.watch(id)
        this.remember()
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
        onError: (error) => this.onPollError(error),
      })
      if (!this.hidden) this.poller.start()
    },
    stopPolling() {
      if (this.poller) this.poller.stop()
    },
    /** A reopened request that has expired is asked for again when the query is known. */
    onPollError(error) {
      const expired = error.code === 'not_found' && !this.view
      if (expired && this.query) {
        this.requestBatch('')
        return
      }
      this.showError(error)
    },
    render(view) {
      const first = !this.view
      this.view = view
      if (first && !this.query) {
        // Opened by id alone: the request says what was asked.
        this.query = queryFromView(view)
        if (this.query) {
          this.showQuery(this.query)
          this.remember()
        }
      }
      if (view.status === 'failed') {
        this.setData({ skeletons: [], progress: '', problem: this.failure(view.error), canAskMore: false })
        return
      }
      const cards = toCards(view, { seenKeys: storage.seen.keys(), favouriteKeys: storage.favourites.keys() })
      cards.forEach((card) => this.shownTitles.add(card.title))
      const thinking = view.movies.length === 0 && !api.isFinal(view)
      const done = view.status === 'done'
      this.setData({
        cards,
        skeletons: thinking ? placeholders(view.count) : [],
        progress: progressText(view),
        problem: done && cards.length === 0 ? EMPTY : null,
        canAskMore: done && cards.length > 0 && Boolean(this.query),
      })
    },
    failure(error) {
      return problems.fromFailure(error, { canAskAgain: Boolean(this.query) })
    },
    showError(error) {
      const problem = problems.fromError(error, { canAskAgain: Boolean(this.query) })
      this.setData({ skeletons: [], progress: '', problem, canAskMore: false })
    },
    /** Pull-down and 重试: ask again if the request never started or failed, else poll afresh. */
    refresh() {
      if (!this.requestId && !this.query) return
      const failed = !this.requestId || (this.view && this.view.status === 'failed')
      if (failed && this.query) this.requestBatch(this.previous)
      else this.watch(this.requestId)
    },
    onMoreTap() {
      wx.pageScrollTo({ scrollTop: 0, duration: 200 })
      this.requestBatch(this.requestId || this.previous)
    },
    onStateAction() {
      const { action } = this.data.problem || {}
      if (action === 'more') this.onMoreTap()
      else if (action === 'askAgain') this.requestBatch(this.previous)
      else if (action === 'home') wx.switchTab({ url: PAGES.home })
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

    /** What a share shows: the query and how many films, and a path that opens this very request. */
    shareTitle() {
      const found = this.data.cards.filter((card) => card.found).length
      if (!this.label) return SHARE_FALLBACK_TITLE
      return found ? `${this.label}：为你挑了 ${found} 部电影` : `${this.label}：看看有什么好电影`
    },
    onShareAppMessage() {
      if (this.requestId) return { title: this.shareTitle(), path: sharedResultsPath(this.requestId) }
      return { title: SHARE_FALLBACK_TITLE, path: PAGES.home }
    },
    onShareTimeline() {
      return { title: this.shareTitle(), query: this.requestId ? `id=${this.requestId}` : '' }
    },
  },
})
