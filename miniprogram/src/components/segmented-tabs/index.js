/** A row of mutually exclusive choices: the home modes, the count, the My lists. */
Component({
  properties: {
    // [{ value, label, count? }]: a count is drawn smaller, so that four labels with counts fit a phone's width
    items: { type: Array, value: [] },
    value: { type: null, value: null },
    // "tabs" for the big switch at the top, "pills" for small inline choices
    variant: { type: String, value: 'tabs' },
  },
  methods: {
    onTap(event) {
      const { value } = event.currentTarget.dataset
      if (value === this.data.value) return
      this.setData({ value })
      this.triggerEvent('change', { value })
    },
  },
})
