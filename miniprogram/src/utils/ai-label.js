/**
 * The label every model-written text carries, wherever it goes.
 *
 * 《人工智能生成合成内容标识办法》 and GB 45438-2025 (in force 2025-09-01):
 * generated text carries an explicit label (人工智能生成 or AI生成) at its
 * start, its end or a fitting place; a screen showing it keeps a notice in
 * view; text that is copied, shared or exported keeps the label. The API
 * marks the fields a model wrote (each movie's `ai_generated`, `x-ai-generated`
 * in its OpenAPI document): the reason is its prose, shown with this label;
 * Douban's rating, cast and summary are Douban's, never labelled.
 */
const AI_LABEL = 'AI生成'
const AI_NOTICE = '推荐理由由 AI 生成，仅供参考'
const DOUBAN_NOTICE = '评分、演职员和简介来自豆瓣'

// A share title shows about two lines in a chat: the label comes before the model's words, so it is never cut off.
const SHARE_TITLE_MAX = 48

/** A model's text with the label at its start, as it leaves the app (clipboard, share). */
function labelled(text) {
  return `【${AI_LABEL}】${text}`
}

/** `prefix`, then the model's `reason` behind its label, cut to what a share shows. */
function shareTitle(prefix, reason) {
  if (!reason) return prefix
  const head = `${prefix}｜${AI_LABEL}：`
  const room = SHARE_TITLE_MAX - head.length
  return head + (reason.length > room ? `${reason.slice(0, Math.max(room - 1, 0))}…` : reason)
}

module.exports = { AI_LABEL, AI_NOTICE, DOUBAN_NOTICE, SHARE_TITLE_MAX, labelled, shareTitle }
