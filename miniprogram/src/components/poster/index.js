/**
 * A Douban poster. Douban refuses images requested with another site's
 * referrer, so none is sent; posters load lazily, and a placeholder stands in
 * when there is no poster or it fails to load.
 */
Component({
  properties: {
    src: { type: String, value: '' },
    mode: { type: String, value: 'aspectFill' },
  },
  data: {
    failed: false,
    loaded: false,
  },
  observers: {
    src() {
      this.setData({ failed: false, loaded: false })
    },
  },
  methods: {
    onLoad() {
      this.setData({ loaded: true })
    },
    onError() {
      this.setData({ failed: true })
    },
  },
})
