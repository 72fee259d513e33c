const api = require('../../utils/api')
const storage = require('../../utils/storage')
const marks = require('../../utils/marks')
const problems = require('../../utils/problems')
const { likeQuery } = require('../../utils/query')
const { movieFromOptions, movieUrl, resultsUrl, PAGES } = require('../../utils/routes')
const { toDetail } = require('../../utils/movie')
const { labelled, shareTitle } = require('../../utils/ai-label')

const NOT_FOUND = new api.ApiError('not_found', '没有找到这部电影')
const MISSING_MOVIE = { title: '豆瓣上没有找到这部电影', message: '链接可能有误，或者豆瓣已不再收录它' }
const SHARE_FALLBACK_TITLE = '影荐 · 今天看什么'

/**
 * The whole Douban record of one movie, opened by its Douban id alone (a
 * shared link lives as long as Douban's entry does). A favourite opens from its
 * saved copy (one synced from another phone has none: it is read by id); a
 * card carries the request and rank it came from, which add the model's
 * reason while that request exists; otherwise GET /movies/{id}. A film seen
 * can be rated here, and 更多类似 asks for films like it.
 * A partial record (Douban's search entry alone) is read again each time the
 * page is shown, until the backend has completed it.
 *
 * The reason is the model's: it carries its AI生成 label, the page says so at
 * the top, and copying or sharing it keeps the label. 反馈 reports it (or the
 * movie, opened by id alone); a reported reason is not shown to the person
 * again.
 */
Component({
  data: {
    loading: true,
    detail: null,
    partial: false,
    reason: '',
    seen: false,
    myRating: 0,
    favourite: false,
    problem: null,
    linkShown: false, // copying failed: the link is shown to be selected by hand
    reported: false, // the person reported this recommendation: its reason is no longer shown
    reportShown: false,
    reportTarget: {},
  },
  methods: {
    onLoad(options) {
      this.target = movieFromOptions(options)
      wx.showShareMenu({ menus: ['shareAppMessage', 'shareTimeline'] })
      this.load()
    },
    onShow() {
      if (!this.douban) return
      this.refreshFlags()
      if (this.partial && !this.fresh) this.complete()
    },
    onHide() {
      this.fresh = false // a partial record may be complete by the time the page is shown again
    },
    async load() {
      this.setData({ loading: true, problem: null })
      const favourite = storage.favourites.find(storage.movieKey({ doubanId: this.target.doubanId }))
      const saved = favourite && favourite.douban ? favourite : null
      try {
        const movie = saved
          ? { douban: saved.douban, reason: saved.reason, partial: saved.partial }
          : await this.fetchMovie()
        this.fresh = !saved
        this.show(movie)
        // A favourite synced from another phone keeps the record read here, to open offline next time.
        if (favourite && !saved) {
          const { douban } = movie
          storage.favourites.replace({ ...favourite, douban, year: douban.year, partial: Boolean(movie.partial) })
        }
      } catch (error) {
        const problem = problems.fromError(error, { notFound: MISSING_MOVIE, canAskAgain: false })
        this.setData({ loading: false, problem })
      }
    },
    /** `{douban, reason, partial}`: from its recommendation while that exists, else by its Douban id. */
    async fetchMovie() {
      const { requestId, rank, doubanId } = this.target
      if (requestId) {
        const movie = await this.fromRequest(requestId, rank, doubanId)
        if (movie) return movie
      }
      if (!doubanId) throw NOT_FOUND
      const card = await api.getMovie(doubanId)
      return { douban: card.douban, reason: '', partial: card.partial }
    },
    /** The movie at `rank` of request `requestId`, or null when the request is gone or holds another film. */
    async fromRequest(requestId, rank, doubanId) {
      let view
      try {
        view = await api.getRecommendation(requestId)
      } catch (error) {
        if (error.code === 'not_found') return null // expired: the Douban id still opens the movie
        throw error
      }
      const movie = view.movies.find((each) => each.rank === rank && each.douban)
      return movie && (!doubanId || movie.douban.id === doubanId) ? movie : null
    },
    /** Shows the completed record if the backend has it by now; else keeps what is shown, quietly. */
    async complete() {
      let movie
      try {
        movie = await this.fetchMovie()
      } catch (error) {
        return // the next onShow tries again
      }
      if (movie.partial) return
      this.show({ ...movie, reason: movie.reason || this.reason })
      const saved = storage.favourites.find(storage.movieKey({ doubanId: movie.douban.id }))
      if (saved && saved.douban) {
        const { douban } = movie
        storage.favourites.replace({ ...saved, douban, title: douban.title, year: douban.year, partial: false })
      }
    },
    show({ douban, reason, partial }) {
      const { requestId, rank } = this.target
      const reported = Boolean(requestId) && storage.reported.has(storage.reportedKey(requestId, rank))
      this.douban = douban
      this.reason = reported ? '' : reason || ''
      this.partial = Boolean(partial)
      this.setData({ loading: false, detail: toDetail(douban), partial: this.partial, reason: this.reason, reported })
      this.refreshFlags()
      wx.setNavigationBarTitle({ title: douban.title })
    },
    refreshFlags() {
      const key = storage.movieKey({ doubanId: this.douban.id })
      this.setData({ seen: storage.seen.has(key), myRating: marks.ratingOf(key), favourite: storage.favourites.has(key) })
    },
    film() {
      const { id, title, year } = this.douban
      return { doubanId: id, title, year }
    },
    onStateAction() {
      if (this.data.problem.action === 'home') wx.switchTab({ url: PAGES.home })
      else this.load()
    },
    /**
     * Copies the Douban link (a mini-program cannot open douban.com itself).
     * wx.setClipboardData is a privacy API: it fails when the person declines
     * the privacy guide, or when the guide does not declare the clipboard (see
     * the README); the link is then shown to be selected by hand.
     */
    onCopyLink() {
      wx.setClipboardData({
        data: this.data.detail.url,
        fail: () => {
          this.setData({ linkShown: true })
          wx.showToast({ title: '没能复制，请长按链接复制', icon: 'none' })
        },
      })
    },
    /**
     * Copies the recommendation: the title, the model's reason behind its
     * AI生成 label (copied text keeps it: GB 45438-2025) and the Douban link.
     */
    onCopyReason() {
      const { detail, reason } = this.data
      const year = detail.year ? `（${detail.year}）` : ''
      wx.setClipboardData({
        data: `《${detail.title}》${year}\n推荐理由${labelled(reason)}\n豆瓣：${detail.url}`,
        fail: () => wx.showToast({ title: '没能复制，可以截图分享', icon: 'none' }),
      })
    },
    // 反馈/举报: of this recommendation (its reason) when it came from one, else of the movie itself.
    onReportTap() {
      const { requestId, rank } = this.target
      const reportTarget = { title: this.douban.title, reason: this.reason, doubanId: this.douban.id }
      if (requestId && this.reason) Object.assign(reportTarget, { requestId, rank })
      this.setData({ reportShown: true, reportTarget })
    },
    onReportClose() {
      this.setData({ reportShown: false })
    },
    onReported(event) {
      const { requestId, rank } = event.detail
      this.setData({ reportShown: false })
      wx.showToast({ title: '已收到反馈，谢谢你', icon: 'none' })
      if (!requestId) return
      storage.reported.add(storage.reportedEntry(requestId, rank))
      this.reason = ''
      this.setData({ reason: '', reported: true })
    },
    onToggleSeen() {
      marks.toggleSeen(this.film())
      this.refreshFlags()
    },
    /** The person's stars (1–5); giving some marks the film seen. */
    onRate(event) {
      marks.rate(this.film(), event.detail.value)
      this.refreshFlags()
    },
    onToggleFavourite() {
      const { requestId, rank } = this.target
      marks.toggleFavourite(
        storage.favouriteEntry({ douban: this.douban, partial: this.partial, reason: this.reason, requestId, rank }),
      )
      this.refreshFlags()
    },
    /** 更多类似: films like this one. */
    onMoreLike() {
      wx.navigateTo({ url: resultsUrl(likeQuery(this.film())) })
    },
    /** 推荐你看《…》, its Douban rating, and the model's reason behind its AI生成 label when there is one. */
    shareTitle() {
      const { detail, reason } = this.data
      if (!detail) return SHARE_FALLBACK_TITLE
      const rating = detail.rating ? `，豆瓣 ${detail.rating.toFixed(1)} 分` : ''
      return shareTitle(`推荐你看《${detail.title}》${rating}`, reason)
    },
    onShareAppMessage() {
      const { detail } = this.data
      if (!detail) return { title: SHARE_FALLBACK_TITLE, path: PAGES.home }
      const { requestId, rank } = this.target
      return { title: this.shareTitle(), path: movieUrl({ doubanId: detail.id, requestId, rank }) }
    },
    onShareTimeline() {
      const { detail } = this.data
      return { title: this.shareTitle(), query: detail ? `id=${detail.id}` : '' }
    },
  },
})
