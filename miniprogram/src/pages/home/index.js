const {
  MODES,
  LIMITS,
  COUNT_CHOICES,
  buildQuery,
  validateQuery,
  modeLabel,
  describeQuery,
} = require('../../utils/query')
const { resultsUrl, PAGES } = require('../../utils/routes')
const storage = require('../../utils/storage')
const { apiConfig } = require('../../config')

const COMMON_TAGS = [
  '科幻', '悬疑', '爱情', '喜剧', '动画', '犯罪', '治愈', '纪录片',
  '战争', '恐怖', '奇幻', '历史', '动作', '剧情', '家庭', '青春',
]
const THEME_EXAMPLES = ['时间循环', '小人物的逆袭', '孤独的太空旅行', '和家人和解', '像《海上钢琴师》那样的电影']
const STAR_EXAMPLES = ['周星驰', '梁朝伟', '巩俐', '汤姆·汉克斯', '宫崎骏']
const RECENT_SHOWN = 5

Component({
  data: {
    modes: MODES,
    mode: 'tags',
    commonTags: COMMON_TAGS,
    themeExamples: THEME_EXAMPLES,
    starExamples: STAR_EXAMPLES,
    countChoices: COUNT_CHOICES.map((count) => ({ value: count, label: `${count} 部` })),
    limits: LIMITS,
    tags: [],
    theme: '',
    star: '',
    count: LIMITS.defaultCount,
    problem: validateQuery(buildQuery('tags')),
    summary: '',
    recent: [],
    configProblem: '', // this build cannot reach the API (config.js): said at the top
  },
  observers: {
    // The 推荐 button follows the same limits as the API; its hint says what it will ask for.
    'mode, tags, theme, star, count'() {
      const query = this.currentQuery()
      const problem = validateQuery(query)
      this.setData({ problem, summary: problem ? '' : `${describeQuery(query)} · ${query.count} 部` })
    },
  },
  methods: {
    onLoad() {
      this.setData({ configProblem: apiConfig().problem })
    },
    onShow() {
      const recent = storage.history
        .all()
        .slice(0, RECENT_SHOWN)
        .map((entry) => ({
          ...entry,
          modeLabel: modeLabel(entry.query.mode),
          reopens: Boolean(storage.reopenableRequest(entry)),
        }))
      this.setData({ recent })
    },
    currentQuery() {
      const { mode, tags, theme, star, count } = this.data
      return buildQuery(mode, { tags, theme, star, count })
    },
    onModeChange(event) {
      this.setData({ mode: event.detail.value })
    },
    onTagsChange(event) {
      this.setData({ tags: event.detail.tags })
    },
    onTextInput(event) {
      this.setData({ [event.currentTarget.dataset.field]: event.detail.value })
    },
    onExampleTap(event) {
      const { field, text } = event.currentTarget.dataset
      this.setData({ [field]: text })
    },
    onCountChange(event) {
      this.setData({ count: event.detail.value })
    },
    onSubmit() {
      if (this.data.problem) return
      wx.navigateTo({ url: resultsUrl(this.currentQuery()) })
    },
    /** Reopens the same results while their request exists; asks again with the same query after that. */
    onRecentTap(event) {
      const entry = this.data.recent[event.currentTarget.dataset.index]
      wx.navigateTo({ url: resultsUrl(entry.query, storage.reopenableRequest(entry)) })
    },
    onAllHistoryTap() {
      wx.switchTab({ url: PAGES.my })
    },
  },
})
