// Douban's own words for one to five stars.
const WORDS = ['', '很差', '较差', '还行', '推荐', '力荐']

/**
 * The person's own rating of a film they have seen: five stars to tap, 1–5
 * (Douban's scale), with Douban's word for it. Tapping the star already given
 * takes the rating back. Triggers `change` with `{value}` (0: no rating).
 * `readonly` shows the stars alone, small, as a list does; `placeholder` is
 * the word before any star is given.
 */
Component({
  properties: {
    value: { type: Number, value: 0 },
    readonly: { type: Boolean, value: false },
    // What the word says before any star is given ('' where the row has no room).
    placeholder: { type: String, value: '点星星打分' },
  },
  data: {
    stars: [],
    word: '',
  },
  observers: {
    value(value) {
      this.setData({
        stars: [1, 2, 3, 4, 5].map((star) => ({ star, on: star <= value })),
        word: WORDS[value] || '',
      })
    },
  },
  methods: {
    onStarTap(event) {
      if (this.data.readonly) return
      const { star } = event.currentTarget.dataset
      const value = star === this.data.value ? 0 : star
      this.setData({ value })
      this.triggerEvent('change', { value })
    },
  },
})
