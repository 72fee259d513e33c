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

module.exports = { API_BASES, apiConfig }
