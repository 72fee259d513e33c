/**
 * The 用户协议 and the 隐私政策: what is generated and how it is labelled,
 * what goes to the model and to WeChat's check, Douban as the source of facts,
 * what is kept (marks, imports, requests, reports) and for how long, and how
 * to delete it. The operator's details come from the build's config
 * (config.js, `operatorConfig`), never from here.
 *
 * A change of either text is a new AGREEMENT_VERSION: the person is asked to
 * agree again (utils/consent.js).
 */
const { AI_LABEL, AI_NOTICE } = require('./ai-label')

const AGREEMENT_VERSION = '2026-12-01'

// How long the service keeps each thing (the backend's settings: REQUEST_TTL_DAYS, FEEDBACK_TTL_DAYS …).
const KEPT = {
  requestDays: 30,
  tombstoneDays: 180,
  importDays: 1,
  reportDays: 180,
  sessionDays: 7,
  countersDays: 2,
}

function terms({ name, contact, modelName, modelFiling }) {
  return {
    title: '用户协议',
    sections: [
      {
        heading: '一、服务说明',
        paragraphs: [
          `影荐是${name}运营的电影推荐小程序。你可以按兴趣标签、相似主题、电影明星或自己的口味请求推荐。` +
            '推荐哪些电影、每部电影的推荐理由，由人工智能模型生成；电影的评分、演职员、简介等信息来自豆瓣。',
        ],
      },
      {
        heading: '二、生成式人工智能服务',
        paragraphs: [
          `推荐由「${modelName}」生成，其生成式人工智能服务备案（登记）编号为：${modelFiling}。`,
          'AI 生成的内容可能有错误或遗漏，仅供参考，不构成观影、消费或其他任何建议。',
        ],
      },
      {
        heading: '三、AI 生成内容的标识',
        paragraphs: ['依照《人工智能生成合成内容标识办法》和强制性国家标准 GB 45438-2025：'],
        items: [
          `每条推荐理由的开头都带有「${AI_LABEL}」标签，在推荐结果、电影详情和分享打开的页面上都是如此；`,
          `推荐结果页始终显示提示「${AI_NOTICE}」；`,
          `复制推荐理由、分享含推荐理由的内容时，文字里保留「【${AI_LABEL}】」或「${AI_LABEL}：」标识；`,
          '豆瓣的评分、演职员和简介不是 AI 生成的，页面上标明「来自豆瓣」；',
          '请不要删除、篡改、伪造或隐匿这些标识。',
        ],
      },
      {
        heading: '四、使用规范',
        items: [
          '不得输入违反法律法规、公序良俗或侵犯他人权益的内容。你输入的文字会先经过微信内容安全检查，未通过的不会发给模型；',
          '模型写出的推荐理由同样经过检查，未通过的不会显示；',
          '不得用本服务批量获取数据或干扰服务运行。为公平使用，我们会限制请求频率和每天的用量。',
        ],
      },
      {
        heading: '五、反馈与举报',
        paragraphs: [
          '每张推荐卡片和电影详情页都有「反馈」入口：推荐理由说错了、内容不当，或电影不符合你的要求，都可以告诉我们。' +
            '提交后，这张卡片不再向你显示。我们会及时处理每一条反馈。',
          `你也可以通过 ${contact} 联系我们投诉或举报。`,
        ],
      },
      {
        heading: '六、你的数据',
        paragraphs: ['我们如何处理你的信息，见《隐私政策》。你可以随时在「我的」页面删除你的数据。'],
      },
      {
        heading: '七、协议的变更',
        paragraphs: ['本协议更新后，你下次使用时我们会请你重新阅读并同意。'],
      },
      {
        heading: '八、联系我们',
        paragraphs: [`${name}，${contact}`],
      },
    ],
  }
}

function privacy({ name, contact, modelName }) {
  return {
    title: '隐私政策',
    sections: [
      {
        heading: '一、我们是谁',
        paragraphs: [`影荐由${name}运营，联系方式：${contact}。`],
      },
      {
        heading: '二、我们处理的信息和用途',
        items: [
          `微信身份（openid）：通过微信登录获得，用来识别你、在你的几部手机之间同步标记。服务器只保存由它加密计算出的账号标识；openid 本身只随登录会话保存，最长 ${KEPT.sessionDays} 天。`,
          `推荐要求：你选择或输入的标签、主题、明星、心情和调整要求，以及你喜欢和不喜欢的电影。它们会发给 AI 模型服务「${modelName}」来生成推荐，你输入的文字还会发给微信内容安全接口检查；随推荐结果保存 ${KEPT.requestDays} 天。`,
          `看过、收藏、不感兴趣和你的评分：用来不再推荐你看过的电影、按你的口味推荐，保存到你删除为止；删除的标记以「已删除」记录保留 ${KEPT.tombstoneDays} 天，让你的其他手机也删掉它。`,
          `导入的豆瓣记录：从聊天中选择的文件只在导入时读取，不保存文件；按豆瓣 ID 导入时，保存这个 ID 和读到的电影 ${KEPT.importDays} 天。`,
          `反馈与举报：反馈的类型、你的补充说明（经过微信内容安全检查）、被反馈的电影和推荐理由，保存 ${KEPT.reportDays} 天，供我们处理。`,
          `用量计数：每分钟的请求次数和每天的 AI 用量，只是数字、不含内容，用来防止滥用，最长 ${KEPT.countersDays} 天后自动删除。`,
        ],
      },
      {
        heading: '三、与第三方',
        items: [
          '微信（腾讯）：登录，以及内容安全检查（你输入的文字和 AI 写的推荐理由）。',
          `AI 模型服务「${modelName}」：收到你的推荐要求和喜欢、不喜欢的电影，不会收到你的微信身份。`,
          '豆瓣：我们从豆瓣读取电影的公开信息；你按豆瓣 ID 导入时，读取你指定的公开观影记录。我们不向豆瓣发送你的任何其他信息。',
          '数据保存在我们位于中国境内的云服务器上。',
        ],
      },
      {
        heading: '四、小程序用到的手机功能',
        items: [
          '剪贴板：你复制豆瓣链接或推荐理由时写入；',
          '选中的文件：你导入豆瓣记录时，读取你从聊天中选择的文件。',
          '这两项也写在微信的《用户隐私保护指引》里，你同意后才会使用。',
        ],
      },
      {
        heading: '五、你的权利',
        items: [
          '查看和更正：在「我的」查看、编辑你的推荐历史、看过、收藏和不感兴趣；',
          '删除：在「我的 → 删除我的数据」删除服务器上你的标记、导入记录、推荐记录、反馈和登录会话，并清除这部手机上的数据，删除后无法恢复。你其他手机上的本地记录，请在那部手机上同样删除；',
          '撤回同意：删除你的数据、不再使用即可，也可以联系我们。',
        ],
      },
      {
        heading: '六、未成年人',
        paragraphs: ['如果你未满 14 周岁，请在监护人的同意和指导下使用。'],
      },
      {
        heading: '七、政策的变更',
        paragraphs: ['本政策更新后，你下次使用时我们会请你重新阅读并同意。'],
      },
    ],
  }
}

const DOCUMENTS = { terms, privacy }

/** The document `key` ('terms' or 'privacy') with the operator's details, or null for another key. */
function agreement(key, operator) {
  const build = DOCUMENTS[key]
  return build ? { key, version: AGREEMENT_VERSION, ...build(operator) } : null
}

module.exports = { AGREEMENT_VERSION, KEPT, agreement }
