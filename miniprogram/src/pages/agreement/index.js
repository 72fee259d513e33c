const { agreement } = require('../../utils/agreements')
const { operatorConfig, NOT_SET } = require('../../config')
const consent = require('../../utils/consent')

// Who runs the service and which filed model writes its text, in the order a reviewer reads them.
const OPERATOR_ROWS = [
  ['name', '运营者'],
  ['contact', '联系方式'],
  ['modelName', '生成式 AI 服务'],
  ['modelFiling', '备案（登记）号'],
]

/**
 * The 用户协议 (`?doc=terms`) or the 隐私政策 (`?doc=privacy`), with the
 * operator's details of the running build (config.js); one not filled in
 * shows as 未填写, marked, rather than anything made up. It says when the
 * person agreed, once they have.
 */
Component({
  data: {
    doc: null,
    operatorRows: [],
    agreedAt: '',
  },
  methods: {
    onLoad(options) {
      const { operator } = operatorConfig()
      const doc = agreement(options && options.doc, operator) || agreement('terms', operator)
      wx.setNavigationBarTitle({ title: doc.title })
      const record = consent.record()
      const operatorRows = OPERATOR_ROWS.map(([field, label]) => ({
        label,
        value: operator[field],
        missing: operator[field] === NOT_SET,
      }))
      this.setData({ doc, operatorRows, agreedAt: record ? formatDate(record.at) : '' })
    },
  },
})

function formatDate(timestamp) {
  const date = new Date(timestamp)
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
}
