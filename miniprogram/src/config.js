/**
 * Where the movierec API lives, per build. WeChat says which build is running
 * (wx.getAccountInfoSync().miniProgram.envVersion):
 *
 * - develop: WeChat DevTools and 真机调试. The local stack (`make run`) at
 *   http://127.0.0.1:3000, with 详情 → 本地设置 → 不校验合法域名… ticked (on a
 *   phone, use the computer's LAN address instead).
 * - trial (体验版) and release (正式版): the deployed API Gateway URL (the
 *   stack's ApiUrl output). WeChat only calls HTTPS domains listed under
 *   request 合法域名 in the admin console, so anything else is refused here,
 *   and said on screen, rather than failing in silence.
 */
const API_BASES = {
  develop: 'http://127.0.0.1:3000',
  trial: '', // e.g. 'https://abc123.execute-api.ap-east-1.amazonaws.com/prod'
  release: '',
}

const BUILD_NAMES = { develop: '开发版', trial: '体验版', release: '正式版' }

/**
 * Who runs the mini-program and which filed model writes its text, per build:
 * the 用户协议 and 隐私政策 show them, as 《生成式人工智能服务管理暂行办法》
 * asks (the API's GET /about gives the server's own, from its settings: keep
 * the two the same). `name` is the 主体名称 of the mini-program's WeChat
 * account; `contact` an email or phone for reports and data requests;
 * `modelName` and `modelFiling` the generative AI service the model is filed
 * as and its 登记/备案 number. Each is needed for trial and release: a missing
 * one is said at start-up (app.js), in the red line on the home page of those
 * builds, and as 未填写 where the agreements show it.
 */
const OPERATORS = {
  develop: { name: '', contact: '', modelName: '', modelFiling: '' },
  trial: { name: '', contact: '', modelName: '', modelFiling: '' },
  release: { name: '', contact: '', modelName: '', modelFiling: '' },
}

const OPERATOR_FIELDS = { name: '主体名称', contact: '联系方式', modelName: '模型名称', modelFiling: '模型备案号' }
const NOT_SET = '未填写'

/** develop, trial or release; an unknown or unreadable answer counts as release, the strictest. */
function envVersion() {
  try {
    const version = wx.getAccountInfoSync().miniProgram.envVersion
    return BUILD_NAMES[version] ? version : 'release'
  } catch (error) {
    return 'release'
  }
}

/**
 * The API base of the running build: `{ envVersion, apiBase, problem }`, where
 * `problem` is '' or why this build cannot call the API, in words for the screen.
 */
function apiConfig(bases = API_BASES, version = envVersion()) {
  const apiBase = String(bases[version] || '')
    .trim()
    .replace(/\/+$/, '')
  const build = BUILD_NAMES[version]
  let problem = ''
  if (!apiBase) problem = `${build}还没有设置服务地址，暂时无法推荐`
  else if (version !== 'develop' && !/^https:\/\/[^/]+/.test(apiBase))
    problem = `${build}的服务地址必须是 HTTPS，暂时无法推荐`
  return { envVersion: version, apiBase, problem }
}

/**
 * The operator's details of the running build: `{ operator, missing, problem }`,
 * where `operator` holds each detail (未填写 when missing), `missing` the names
 * of the missing ones (主体名称 …), and `problem` what a trial or release build
 * shows at the top of the home page ('' in develop, and when nothing is missing).
 */
function operatorConfig(operators = OPERATORS, version = envVersion()) {
  const given = operators[version] || {}
  const operator = {}
  const missing = []
  Object.keys(OPERATOR_FIELDS).forEach((field) => {
    const value = String(given[field] || '').trim()
    operator[field] = value || NOT_SET
    if (!value) missing.push(OPERATOR_FIELDS[field])
  })
  const problem =
    version !== 'develop' && missing.length ? `${BUILD_NAMES[version]}还没有填写${missing.join('、')}（config.js）` : ''
  return { operator, missing, problem }
}

module.exports = { API_BASES, OPERATORS, NOT_SET, apiConfig, operatorConfig }
