/**
 * One recommended movie (a view model from utils/movie.toCard). While Douban is
 * still being searched the title and reason show and the rest shimmers; a
 * partial card shows what Douban's search gave and a 信息补全中 tag.
 * The model's reason starts with its AI生成 label; Douban's facts carry none.
 * Events carry the movie's rank: open, toggleseen, togglefavourite,
 * toggledislike (不感兴趣, and 撤销 on the folded card), morelike (更多类似)
 * and report (反馈/举报). A card marked 不感兴趣 folds to one line that can
 * take it back.
 */
Component({
  properties: {
    movie: { type: Object, value: {} },
  },
  methods: {
    notify(name) {
      this.triggerEvent(name, { rank: this.data.movie.rank })
    },
    onOpen() {
      if (this.data.movie.found) this.notify('open')
    },
    onToggleSeen() {
      this.notify('toggleseen')
    },
    onToggleFavourite() {
      this.notify('togglefavourite')
    },
    onToggleDislike() {
      this.notify('toggledislike')
    },
    onMoreLike() {
      this.notify('morelike')
    },
    onReport() {
      this.notify('report')
    },
  },
})
