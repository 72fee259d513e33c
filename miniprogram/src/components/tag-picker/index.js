const { LIMITS, validateNewTag } = require('../../utils/query')

/**
 * The common tags as a grid to toggle, plus tags of one's own. Custom tags
 * join the grid while selected and leave it when unselected.
 */
Component({
  properties: {
    options: { type: Array, value: [] },
    selected: { type: Array, value: [] },
  },
  data: {
    chips: [],
    draft: '',
    problem: '',
    maxTags: LIMITS.maxTags,
    tagLength: LIMITS.tagLength,
  },
  observers: {
    'options, selected'(options, selected) {
      const custom = selected.filter((tag) => !options.includes(tag))
      const chips = options.concat(custom).map((name) => ({
        name,
        selected: selected.includes(name),
        custom: custom.includes(name),
      }))
      this.setData({ chips })
    },
  },
  methods: {
    onChipTap(event) {
      const { tag } = event.currentTarget.dataset
      const { selected, maxTags } = this.data
      if (selected.includes(tag)) {
        this.update(selected.filter((each) => each !== tag))
      } else if (selected.length >= maxTags) {
        this.setData({ problem: `最多选择 ${maxTags} 个标签` })
      } else {
        this.update(selected.concat(tag))
      }
    },
    onDraftInput(event) {
      this.setData({ draft: event.detail.value, problem: '' })
    },
    onAddCustom() {
      const tag = this.data.draft.trim()
      const problem = validateNewTag(tag, this.data.selected)
      if (problem) {
        this.setData({ problem })
        return
      }
      this.setData({ draft: '' })
      this.update(this.data.selected.concat(tag))
    },
    update(selected) {
      this.setData({ selected, problem: '' })
      this.triggerEvent('change', { tags: selected })
    },
  },
})
