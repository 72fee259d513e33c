const api = require('../../utils/api')
const storage = require('../../utils/storage')
const { movieFromOptions, movieUrl } = require('../../utils/routes')
const { toDetail } = require('../../utils/movie')

const NOT_FOUND = new api.ApiError('not_found', '没有找到这部电影的信息，它所在的推荐可能已过期')

/**
 * The whole Douban record of one movie. A favourite opens from its saved copy;
 * anything else (a card, a shared link) is read from the recommendation it belongs to.
 * A partial record (Douban's search entry alone) is read again from there each
 * time the page is shown, until the backend has completed it.
 */
Component({
  data: {
    loading: true,
    detail: null,
    partial: false,
    reason: '',
    seen: false,
    favourite: false,
    problem: null,
  },
  methods: {
    onLoad(options) {
      this.target = movieFromOptions(options)
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
      const saved = storage.favourites.find(storage.movieKey({ doubanId: this.target.doubanId }))
      try {
        const movie = saved
          ? { douban: saved.douban, reason: saved.reason, partial: saved.partial }
          : await this.fetchMovie()
        this.fresh = !saved
        this.show(movie)
      } catch (error) {
        this.setData({
          loading: false,
          problem: { type: error.offline ? 'offline' : 'error', message: error.message, actionText: '重试' },
        })
      }
    },
    async fetchMovie() {
      const { requestId, rank, doubanId } = this.target
      if (!requestId) throw NOT_FOUND
      const view = await api.getRecommendation(requestId)
      const movie = view.movies.find((each) => each.rank === rank && each.douban)
      if (!movie || (doubanId && movie.douban.id !== doubanId)) throw NOT_FOUND
      return movie
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
      this.show(movie)
      const saved = storage.favourites.find(storage.movieKey({ doubanId: movie.douban.id }))
      if (saved) {
        const { douban } = movie
        storage.favourites.replace({ ...saved, douban, title: douban.title, year: douban.year, partial: false })
      }
    },
    show({ douban, reason, partial }) {
      this.douban = douban
      this.reason = reason || ''
      this.partial = Boolean(partial)
      this.setData({ loading: false, detail: toDetail(douban), partial: this.partial, reason: this.reason })
      this.refreshFlags()
      wx.setNavigationBarTitle({ title: douban.title })
    },
    refreshFlags() {
      const key = storage.movieKey({ doubanId: this.douban.id })
      this.setData({ seen: storage.seen.has(key), favourite: storage.favourites.has(key) })
    },
    onRetry() {
      this.load()
    },
    onCopyLink() {
      wx.setClipboardData({ data: this.data.detail.url })
    },
    onToggleSeen() {
      const { id, title, year } = this.douban
      storage.seen.toggle(storage.seenEntry({ doubanId: id, title, year }))
      this.refreshFlags()
    },
    onToggleFavourite() {
      const { requestId, rank } = this.target
      storage.favourites.toggle(
        storage.favouriteEntry({ douban: this.douban, partial: this.partial, reason: this.reason, requestId, rank }),
      )
      this.refreshFlags()
    },
    onShareAppMessage() {
      const { detail } = this.data
      if (!detail) return { title: '影荐 · 今天看什么' }
      const { requestId, rank } = this.target
      const rating = detail.rating ? `，豆瓣 ${detail.rating.toFixed(1)} 分` : ''
      return {
        title: `推荐你看《${detail.title}》${rating}`,
        path: movieUrl({ doubanId: detail.id, requestId, rank }),
      }
    },
  },
})
