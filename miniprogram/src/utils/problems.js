/**
 * What a person sees when something goes wrong: a title, a message, and one
 * action that can work from where they are. The server's own wording is never
 * shown as is: it may be written for developers.
 *
 * Actions: retry (the same call again), askAgain (a new request with the same
 * query), more (换一批), home (back to the home tab), edit (back to where the
 * words were typed), agree (the same call again, which shows the agreements to
 * agree to first), '' (nothing can help now).
 */
const session = require('./session')
const { waitText } = require('./http')

const ACTION_TEXTS = {
  retry: '重试',
  askAgain: '重新推荐',
  more: '换一批',
  home: '去首页推荐',
  edit: '修改一下',
  agree: '阅读并同意',
  '': '',
}

function problem(type, title, message, action) {
  return { type, title, message, action, actionText: ACTION_TEXTS[action] }
}

// Failures that asking again will not fix soon: the service itself needs its operator.
const OUT_OF_SERVICE = ['llm_auth', 'llm_not_configured']

/**
 * A recommendation that ended `failed`, by its error code. `canAskAgain`:
 * whether the page knows the query to ask again with.
 */
function fromFailure(error, { canAskAgain = true } = {}) {
  const code = (error && error.code) || ''
  const askAgain = canAskAgain ? 'askAgain' : 'home'
  if (code === 'timeout') return problem('error', '这次推荐用时太久', '推荐服务这会儿有点忙，再推荐一次试试', askAgain)
  if (OUT_OF_SERVICE.includes(code)) return problem('error', '推荐服务暂时停用', '我们会尽快修好，请稍后再来', 'home')
  // 更多类似 on a film Douban no longer has: asking again cannot help, another film or a theme can.
  if (code === 'like_not_found') return problem('empty', '豆瓣上找不到这部电影', '条目可能已被删除，换一部电影试试吧', 'home')
  if (code === 'like_unavailable') {
    return problem('error', '暂时读不到这部电影', '豆瓣这会儿没有回应，稍等一会儿再推荐一次', askAgain)
  }
  return problem('error', '推荐没能完成', '推荐服务暂时忙不过来，稍等一会儿再推荐一次', askAgain)
}

const EXPIRED_REQUEST = { title: '这次推荐已过期', message: '推荐结果保留 30 天' }

/**
 * A call that failed (an ApiError). `notFound` says what a 404 means where the
 * call was made (an expired request by default); `canAskAgain` whether the
 * page knows the query to ask again with.
 */
function fromError(error, { notFound = EXPIRED_REQUEST, canAskAgain = true } = {}) {
  // Anything but an ApiError is a bug of ours: its text is for developers.
  if (!error || error.name !== 'ApiError') return problem('error', '出了点问题', '请稍后再试', 'retry')
  if (error.offline) return problem('offline', '', error.message, 'retry')
  // The person declined the agreements: nothing was sent; agreeing is a tap away.
  if (error.code === 'agreement_declined') return problem('info', '需要先同意协议', error.message, 'agree')
  if (error.code === 'config' || error.code === 'domain') return problem('error', '暂时无法连接服务', error.message, '')
  if (error.code === 'not_found') {
    const next = canAskAgain ? '，用同样的条件再推荐一次吧' : '，去首页看看别的推荐吧'
    return problem('empty', notFound.title, `${notFound.message}${next}`, canAskAgain ? 'askAgain' : 'home')
  }
  // Opened from Moments: nobody can sign in there; the full mini-program can.
  if (error.code === 'unauthorized' && session.inSinglePageMode()) {
    return problem('info', '在小程序中查看', '点击屏幕下方的“前往小程序”，就能看到这次推荐', '')
  }
  if (error.code === 'invalid_request') return problem('error', '推荐条件不符合要求', error.message, 'home')
  if (error.code === 'content_rejected') return problem('error', '换个说法试试', '这段话没有通过微信的内容安全检查', 'edit')
  // The words ask for what no film can be (2030年以后): said plainly, with the way back to the words.
  if (error.code === 'nothing_can_match') return problem('empty', '没有能满足条件的电影', error.message, 'edit')
  // WeChat blocks the account (its risk control): no action of ours can help, so none is offered.
  if (error.code === 'sign_in_blocked') return problem('error', '微信暂时不允许登录', error.message, '')
  // Sign-in failed (WeChat refused the code, or signing in again after the session expired did not work).
  if (error.code === 'unauthorized') return problem('error', '没能登录', '微信登录这次没有成功，稍等一下再试', 'retry')
  // A limit's title says what happened; the message says how long to wait (the server's own words repeat the title).
  const seconds = error.retryAfterSeconds
  if (error.code === 'rate_limited') {
    return problem('error', '请求太频繁了', seconds ? `歇一会儿，${waitText(seconds)}后再试` : error.message, 'retry')
  }
  // The day's budget is spent: trying again today cannot help.
  if (error.code === 'daily_limit_reached') {
    const message = seconds ? `${waitText(seconds)}后可以再推荐` : '明天再来吧'
    return problem('error', '今天的推荐次数用完了', message, '')
  }
  if (error.code === 'douban_unavailable') {
    return problem('error', '豆瓣暂时连不上', seconds ? `${waitText(seconds)}后再试试` : '稍等一会儿再试', 'retry')
  }
  return problem('error', '出了点问题', error.message, 'retry')
}

module.exports = { ACTION_TEXTS, problem, fromFailure, fromError }
