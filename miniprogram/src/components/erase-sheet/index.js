/**
 * 删除我的数据, confirmed: what goes (on the server and on this phone), that it
 * cannot be undone, and a red 确认删除 beside 取消. It erases by itself
 * (utils/erase.js) and says in place why it could not (no network, the server
 * down), keeping everything; once erased it closes with `erased` ({ counts }).
 */
const { eraseMyData } = require('../../utils/erase')

Component({
  properties: {
    show: { type: Boolean, value: false },
  },
  data: {
    erasing: false,
    problem: '',
  },
  observers: {
    show(shown) {
      if (shown) this.setData({ erasing: false, problem: '' })
    },
  },
  methods: {
    onClose() {
      if (!this.data.erasing) this.triggerEvent('close')
    },
    async onConfirm() {
      if (this.data.erasing) return
      this.setData({ erasing: true, problem: '' })
      try {
        const counts = await eraseMyData()
        this.setData({ erasing: false })
        this.triggerEvent('erased', { counts })
      } catch (error) {
        this.setData({ erasing: false, problem: `${error.message || '没能删除'}，你的数据都还在，可以再试一次` })
      }
    },
  },
})
