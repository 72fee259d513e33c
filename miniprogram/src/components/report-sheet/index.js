/**
 * 反馈与举报 on one card or movie: what is wrong (the reason is wrong, it is
 * offensive, the film does not fit, something else) and, if the person wants,
 * their words (at most 200 characters; needed for 其他). It sends POST
 * /feedback itself and says what went wrong in place (WeChat's check refusing
 * the words, too many reports, no network); once the report is kept it closes
 * with `reported` ({ requestId, rank, doubanId, hidden }), and the page hides
 * the card. `target`: { title, reason, requestId, rank, doubanId }.
 */
const api = require('../../utils/api')
const { operatorConfig, NOT_SET } = require('../../config')

const KINDS = [
  { value: 'wrong_reason', label: '推荐理由说错了', hint: '剧情、演员或年份和电影对不上' },
  { value: 'offensive', label: '内容不当', hint: '低俗、冒犯、歧视或违法' },
  { value: 'not_fitting', label: '不符合我的要求', hint: '这部电影不是我想要的' },
  { value: 'other', label: '其他问题', hint: '在下面说说哪里不对' },
]
const TEXT_LENGTH = 200

Component({
  properties: {
    show: { type: Boolean, value: false },
    target: { type: Object, value: {} },
  },
  data: {
    kinds: KINDS,
    kind: '',
    text: '',
    textLength: TEXT_LENGTH,
    canSend: false,
    sending: false,
    problem: '',
    contact: '',
  },
  observers: {
    show(shown) {
      // Each report starts blank.
      if (shown) this.setData({ kind: '', text: '', canSend: false, sending: false, problem: '' })
    },
    'kind, text'(kind, text) {
      this.setData({ canSend: Boolean(kind) && (kind !== 'other' || Boolean(text.trim())) })
    },
  },
  lifetimes: {
    attached() {
      const { contact } = operatorConfig().operator
      this.setData({ contact: contact === NOT_SET ? '' : contact })
    },
  },
  methods: {
    onKindTap(event) {
      this.setData({ kind: event.currentTarget.dataset.kind, problem: '' })
    },
    onTextInput(event) {
      this.setData({ text: event.detail.value, problem: '' })
    },
    onClose() {
      if (!this.data.sending) this.triggerEvent('close')
    },
    async onSubmit() {
      if (!this.data.canSend || this.data.sending) return
      const { requestId, rank, doubanId } = this.data.target
      this.setData({ sending: true, problem: '' })
      const report = { kind: this.data.kind, text: this.data.text.trim(), doubanId }
      try {
        const receipt = await api.sendFeedback(requestId ? { ...report, requestId, rank } : report).catch((error) => {
          // A card of a request that has expired (a favourite kept longer than 30 days): the movie still is.
          if (error.code === 'not_found' && requestId && doubanId) return api.sendFeedback(report)
          throw error
        })
        this.setData({ sending: false })
        this.triggerEvent('reported', { requestId, rank, doubanId, hidden: Boolean(receipt.hidden) })
      } catch (error) {
        this.setData({ sending: false, problem: error.message || '没能提交，请稍后再试' })
      }
    },
  },
})
