const api = require('../../utils/api')
const storage = require('../../utils/storage')
const marks = require('../../utils/marks')
const problems = require('../../utils/problems')
const filters = require('../../utils/filters')
const {
  LIMITS,
  buildExclude,
  clean,
  describeQuery,
  likeQuery,
  modeLabel,
  validateQuery,
  validateRefine,
} = require('../../utils/query')
const {
  queryFromOptions,
  requestIdFromOptions,
  movieUrl,
  resultsUrl,
  sharedResultsPath,
  PAGES,
} = require('../../utils/routes')
const { toCards, progressText } = require('../../utils/movie')

const THINKING = '正在思考推荐什么…'
const SHARE_FALLBACK_TITLE = '影荐 · 今天看什么'
const REFINE_SUGGESTIONS = ['更冷门一点', '更新一点', '更经典一点', '轻松一点', '更烧脑一点', '不要恐怖片']

const BAD_LINK = problems.problem('error', '没能读懂这个链接', '去首页选选想看的电影吧', 'home')
const EMPTY = problems.problem('empty', '没有找到合适的电影', '这次推荐的电影在豆瓣上都没找到，换一批试试', 'more')
const FILTERED_EMPTY = problems.problem(
  'empty',
  '没有符合筛选条件的电影',
  '放宽一点筛选条件，或者换一批试试',
  'more',
)
const READ_FILTERED_EMPTY = problems.problem(
  'empty',
  '没有符合这些条件的电影',
  '点上面的条件可以去掉它，或者换一批试试',
  'more',
)

function placeholders(count) {
  return Array.from({ length: count }, (_, index) => index)
}

function withoutRefine(query) {
  const { refine, ...rest } = query
  return rest
}

// The most `exclude` entries an API from before the for_me issue takes.
const OLD_MAX_EXCLUDE = 200
// GET /recommendations/{id}'s `query` of a for_me request without a mood.
const FOR_ME_QUERY = '为我推荐'

/**
 * The query a request view was made from (GET /recommendations/{id} gives
 * `mode`, `query` and `count`; for_me's `query` is its mood, or 为我推荐): a
 * shared page's 换一批 asks for the same, from the opener's own marks. What
 * the view does not tell (filters, like, a refinement) is not carried over.
 */
function queryFromView(view) {
  const query = { mode: view.mode, count: view.count }
  if (view.mode === 'tags') query.tags = String(view.query).split('、')
  else if (view.mode === 'theme') query.theme = view.query
  else if (view.mode === 'star') query.star = view.query
  else if (view.mode === 'for_me' && view.query && view.query !== FOR_ME_QUERY) query.mood = view.query
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
 * 换一批 asks again, excluding everything shown here and the person's marks,
 * and names the current request as `previous`. Once done, the refine box asks
 * again in the person's words ("更冷门一点", sent as `refine` with
 * `previous`), and 筛选 asks afresh with new filters. A card can be marked
 * 不感兴趣 (folded, and excluded from then on), open 更多类似, or be reported
 * (反馈: hidden from then on). Each reason carries its AI生成 label, and a
 * notice that the reasons are the AI's stays in view with the cards.
 *
 * 按你说的: what the backend read from the person's words (the view's
 * `read_filters`) shows as chips under the query; removing one asks again
 * for the same request without it (`dismissed_filters`, kept in the query).
 */
Component({
  data: {
    modeLabel: '',
    queryLabel: '',
    refineLabel: '',
    filterText: '',
    filterCount: 0,
    progress: '',
    skeletons: [],
    cards: [],
    problem: null,
    canAskMore: false, // done with cards: the 换一批 bar and the refine box show
    refineSuggestions: REFINE_SUGGESTIONS,
    refineDraft: '',
    refineProblem: '',
    refineLength: LIMITS.refineLength,
    filtersShown: false,
    filters: {},
    readFilters: [], // the view's read_filters: chips under the query
    reportShown: false,
    reportTarget: {}, // the card being reported: { title, reason, requestId, rank, doubanId }
  },
  methods: {
    onLoad(options) {
      this.query = queryFromOptions(options)
      // What this page showed, oldest first, by request and rank: its Douban id once found, its title before.
      this.shown = new Map()
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
      // The marks may have changed on the movie page.
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
      this.setData({
        modeLabel: modeLabel(query.mode),
        queryLabel: label,
        refineLabel: query.refine || '',
        filterText: filters.describe(query.filters),
        filterCount: filters.count(query.filters),
        filters: query.filters || {},
      })
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
    /**
     * The body of POST /recommendations: the query, `exclude` (this page's
     * films, then the marks), for_me's `liked` and `disliked` from the marks,
     * and `previous` with the `refine` that needs it.
     */
    body(previous) {
      const { refine, ...query } = this.query
      const body = { ...query, exclude: buildExclude(Array.from(this.shown.values()).reverse(), marks.excluded()) }
      if (query.mode === 'for_me') Object.assign(body, marks.taste())
      if (previous) {
        body.previous = previous
        if (refine) body.refine = refine
      }
      return body
    },
    /** POSTs a new request; `previous` is the request it follows (换一批, a refinement) or ''. */
    async requestBatch(previous) {
      const batch = ++this.batch // a newer batch wins over an older one still on its way
      const before = { view: this.view, requestId: this.requestId, previous: this.previous }
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
      const body = this.body(previous)
      try {
        const { id } = await this.create(body, batch)
        if (batch !== this.batch) return
        this.watch(id)
        this.remember()
      } catch (error) {
        if (batch === this.batch) this.onCreateError(error, body, before)
      }
    },
    /**
     * POSTs `body`, and once more when a part of it that can be done without
     * is refused. Requests expire (after 30 days), and a `previous` one the
     * backend no longer knows is refused: ask without it (and without the
     * refinement that needs it), since `exclude` already holds every film it
     * showed. An API from before 2,000-entry exclude lists refuses a long one:
     * ask with the newest entries it takes.
     */
    async create(body, batch) {
      try {
        return await api.createRecommendation(body)
      } catch (error) {
        if (body.previous && error.refused('previous')) {
          const { previous, refine, ...rest } = body
          if (batch === this.batch) this.previous = ''
          return api.createRecommendation(rest)
        }
        if (body.exclude.length > OLD_MAX_EXCLUDE && error.refused('exclude')) {
          return api.createRecommendation({ ...body, exclude: body.exclude.slice(0, OLD_MAX_EXCLUDE) })
        }
        throw error
      }
    },
    /**
     * A refinement WeChat's content check refused leaves the cards as they
     * were, with the words in the box to be said another way.
     */
    onCreateError(error, body, before) {
      if (error.code === 'content_rejected' && body.refine && before.view) {
        this.query = withoutRefine(this.query)
        this.showQuery(this.query)
        this.requestId = before.requestId
        this.previous = before.previous
        this.render(before.view)
        this.setData({ refineDraft: body.refine, refineProblem: error.message })
        return
      }
      this.showError(error)
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
        const failed = { skeletons: [], progress: '', problem: this.failure(view.error), canAskMore: false }
        this.setData({ ...failed, readFilters: view.read_filters || [] })
        return
      }
      const cards = toCards(view, { ...marks.cardFlags(), reportedKeys: storage.reported.keys() })
      cards.forEach((card) => this.shown.set(`${view.id}#${card.rank}`, card.doubanId || card.title))
      const thinking = view.movies.length === 0 && !api.isFinal(view)
      const done = view.status === 'done'
      const readFilters = view.read_filters || []
      const empty = this.data.filterCount ? FILTERED_EMPTY : readFilters.length ? READ_FILTERED_EMPTY : EMPTY
      this.setData({
        readFilters,
        cards,
        skeletons: thinking ? placeholders(view.count) : [],
        progress: progressText(view),
        problem: done && cards.length === 0 ? empty : null,
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
      else if (action === 'edit') this.editQuery()
      else this.refresh()
    },
    /** Back to where the words were typed (the home page keeps them); a shared page has no way back: home. */
    editQuery() {
      wx.navigateBack({ fail: () => wx.switchTab({ url: PAGES.home }) })
    },

    // The refine box: the same query, in the person's words.
    onRefineInput(event) {
      this.setData({ refineDraft: event.detail.value, refineProblem: '' })
    },
    onRefineSuggestion(event) {
      this.refineWith(event.currentTarget.dataset.text)
    },
    onRefineSend() {
      this.refineWith(this.data.refineDraft)
    },
    refineWith(text) {
      const refineProblem = validateRefine(text)
      if (refineProblem) {
        this.setData({ refineProblem })
        return
      }
      this.query = { ...this.query, refine: clean(text) }
      this.showQuery(this.query)
      this.setData({ refineDraft: '', refineProblem: '' })
      this.onMoreTap()
    },
    onAdjustTap() {
      wx.pageScrollTo({ selector: '.refine', duration: 200 })
    },

    // 筛选: a new query with other filters, asked afresh.
    onFiltersTap() {
      this.setData({ filtersShown: true })
    },
    onFiltersClose() {
      this.setData({ filtersShown: false })
    },
    onFiltersApply(event) {
      const chosen = event.detail.filters
      this.setData({ filtersShown: false })
      if (!this.query || JSON.stringify(chosen) === JSON.stringify(filters.normalize(this.query.filters))) return
      const query = withoutRefine(this.query)
      delete query.filters
      this.query = Object.keys(chosen).length ? { ...query, filters: chosen } : query
      this.showQuery(this.query)
      this.shown = new Map() // other filters may well want films shown before
      wx.pageScrollTo({ scrollTop: 0, duration: 200 })
      this.requestBatch('')
    },

    // 按你说的: a filter read from the words, taken away; the same request is asked again without it.
    onReadFilterRemove(event) {
      const { field } = event.detail
      if (!this.query || !field) return
      const dismissed = Array.from(new Set([...(this.query.dismissed_filters || []), field]))
      this.query = { ...this.query, dismissed_filters: dismissed }
      this.setData({ readFilters: this.data.readFilters.filter((filter) => filter.field !== field) })
      this.shown = new Map() // fewer filters may well want films shown before
      wx.pageScrollTo({ scrollTop: 0, duration: 200 })
      this.requestBatch(this.previous)
    },

    movieAt(rank) {
      return this.view.movies.find((movie) => movie.rank === rank)
    },
    film(movie) {
      const douban = movie.douban || {}
      return { doubanId: douban.id || '', title: douban.title || movie.title, year: douban.year || movie.year }
    },
    onCardOpen(event) {
      const movie = this.movieAt(event.detail.rank)
      wx.navigateTo({ url: movieUrl({ doubanId: movie.douban.id, requestId: this.requestId, rank: movie.rank }) })
    },
    onToggleSeen(event) {
      const kept = marks.toggleSeen(this.film(this.movieAt(event.detail.rank)))
      wx.showToast({ title: kept ? '已标记看过，以后不再推荐' : '已移出看过', icon: 'none' })
      this.render(this.view)
    },
    onToggleFavourite(event) {
      const movie = this.movieAt(event.detail.rank)
      const kept = marks.toggleFavourite(
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
    onToggleDislike(event) {
      marks.toggleDisliked(this.film(this.movieAt(event.detail.rank)))
      this.render(this.view)
    },
    /** 更多类似: films like this one, on a page of their own (the way back keeps these results). */
    onMoreLike(event) {
      const film = this.film(this.movieAt(event.detail.rank))
      const { count, filters: chosen } = this.query || {}
      wx.navigateTo({ url: resultsUrl(likeQuery(film, { count, filters: chosen })) })
    },

    // 反馈/举报: the card's sheet; once the report is kept, the card is gone for this person (here and on the server).
    onReport(event) {
      const movie = this.movieAt(event.detail.rank)
      const { doubanId, title } = this.film(movie)
      const reportTarget = { title, reason: movie.reason || '', requestId: this.view.id, rank: movie.rank, doubanId }
      this.setData({ reportShown: true, reportTarget })
    },
    onReportClose() {
      this.setData({ reportShown: false })
    },
    onReported(event) {
      const { requestId, rank } = event.detail
      storage.reported.add(storage.reportedEntry(requestId, rank))
      this.setData({ reportShown: false })
      wx.showToast({ title: '已收到反馈，这条推荐不再显示', icon: 'none' })
      this.render(this.view)
    },

    /** What a share shows: the query and how many films, and a path that opens this very request. */
    shareTitle() {
      const found = this.data.cards.filter((card) => card.found).length
      if (!this.label) return SHARE_FALLBACK_TITLE
      return found ? `${this.label}：为你挑了 ${found} 部电影` : `${this.label}：看看有什么好电影`
    },
    /**
     * Opens this request to whoever gets the link (the server keeps it the
     * owner's otherwise). Resolves either way: a share still goes out, and
     * someone else's shared page just says it cannot share it further.
     */
    openToOthers() {
      return api.shareRecommendation(this.requestId).catch(() => null)
    },
    onShareAppMessage() {
      if (!this.requestId) return { title: SHARE_FALLBACK_TITLE, path: PAGES.home }
      const share = { title: this.shareTitle(), path: sharedResultsPath(this.requestId) }
      // WeChat waits up to 3 s for `promise`, then sends `share` as it is.
      return { ...share, promise: this.openToOthers().then(() => share) }
    },
    onShareTimeline() {
      if (this.requestId) this.openToOthers()
      return { title: this.shareTitle(), query: this.requestId ? `id=${this.requestId}` : '' }
    },
  },
})
