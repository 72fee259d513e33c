/**
 * The notice a screen showing model-written text keeps in view (GB 45438-2025
 * asks an interactive screen for a persistent one): the reasons are the AI's,
 * the facts Douban's. It sticks to the top of the page while the cards scroll;
 * a tap opens the 用户协议, which says how the text is labelled.
 */
const { AI_NOTICE, DOUBAN_NOTICE } = require('../../utils/ai-label')
const { agreementUrl } = require('../../utils/routes')

Component({
  data: { notice: AI_NOTICE, source: DOUBAN_NOTICE },
  methods: {
    onTap() {
      wx.navigateTo({ url: agreementUrl('terms') })
    },
  },
})
