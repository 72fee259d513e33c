/**
 * Where the movierec API lives.
 *
 * - Local stack (`make run`): http://127.0.0.1:3000, with 详情 → 本地设置 →
 *   不校验合法域名… ticked in WeChat DevTools.
 * - Deployed: the API Gateway URL, which must be HTTPS and listed under the
 *   request legal domains (request 合法域名) in the mini-program admin console.
 */
module.exports = {
  apiBase: 'http://127.0.0.1:3000',
}
