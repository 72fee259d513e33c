const filters = require('../../utils/filters')

/**
 * The 筛选 sheet: a few choices per filter (utils/filters.js). Choices are a
 * draft until 确定, which triggers `apply` with `{filters}` in the API's shape
 * ({} when nothing filters); 重置 clears the draft; the dim or × triggers
 * `close` and keeps what was there.
 */
Component({
  properties: {
    show: { type: Boolean, value: false },
    filters: { type: Object, value: {} },
  },
  data: {
    rows: [],
    draft: {},
  },
  observers: {
    // Opening starts from what is in force.
    'show, filters'(show, current) {
      if (show) this.redraw(filters.normalize(current))
    },
  },
  methods: {
    redraw(draft) {
      this.setData({ draft, rows: filters.rows(draft) })
    },
    onChoiceTap(event) {
      const { field, index } = event.currentTarget.dataset
      this.redraw(filters.choose(this.data.draft, field, Number(index)))
    },
    onReset() {
      this.redraw({})
    },
    onApply() {
      this.triggerEvent('apply', { filters: filters.normalize(this.data.draft) })
    },
    onClose() {
      this.triggerEvent('close')
    },
  },
})
