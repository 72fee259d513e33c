/**
 * The first-use agreement: what the service does with AI and with the
 * person's data, in a few lines, the two agreements a tap away, and 同意并继续
 * or 不同意. It shows whenever utils/consent.js asks, on the page in view (it
 * attaches itself when its page shows). Tapping outside does nothing: it
 * needs an answer. 同意并继续 is WeChat's agreePrivacyAuthorization button,
 * so that agreeing here also agrees to WeChat's 用户隐私保护指引 (the
 * clipboard and the file picker then work without asking again).
 */
const consent = require('../../utils/consent')
const { agreementUrl } = require('../../utils/routes')

Component({
  data: { shown: false },
  lifetimes: {
    detached() {
      this.detach()
    },
  },
  pageLifetimes: {
    show() {
      this.attach()
    },
    hide() {
      this.detach()
    },
  },
  methods: {
    attach() {
      this.detach()
      this.detachSheet = consent.attach((shown) => this.setData({ shown }))
    },
    detach() {
      if (this.detachSheet) this.detachSheet()
      this.detachSheet = null
    },
    onOpen(event) {
      wx.navigateTo({ url: agreementUrl(event.currentTarget.dataset.doc) })
    },
    onAgree() {
      consent.accept()
    },
    onDecline() {
      consent.decline()
    },
    // The page behind must not scroll while the agreement is asked.
    onMaskMove() {},
  },
})
