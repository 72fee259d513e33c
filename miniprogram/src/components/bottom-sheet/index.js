/**
 * A panel that rises from the bottom over the dimmed page: a title, a close
 * button, the content (default slot, scrolling when long) and an optional
 * footer (slot "footer") that stays in view. Tapping the dim or × triggers
 * `close`; the page decides whether it closes (`show`).
 */
Component({
  options: { multipleSlots: true },
  properties: {
    show: { type: Boolean, value: false },
    title: { type: String, value: '' },
  },
  methods: {
    onClose() {
      this.triggerEvent('close')
    },
    // The page behind must not scroll while the sheet is open.
    onMaskMove() {},
  },
})
