/**
 * 按你说的: the filters the backend read from what the person wrote (the
 * poll's `read_filters`: 2015 年及以后, 韩国, 豆瓣 8 分以上), as chips under
 * the query. They hold like the 筛选 sheet's, so each says so plainly and can
 * be taken away: tapping a chip reports `remove` with its field, and the page
 * asks again without it (`dismissed_filters`).
 *
 * `filters`: [{field, label, words}] as the API sends them.
 */
Component({
  properties: {
    filters: { type: Array, value: [] },
  },
  methods: {
    onRemove(event) {
      this.triggerEvent('remove', { field: event.currentTarget.dataset.field })
    },
  },
})
