const {
  MODES,
  LIMITS,
  COUNT_CHOICES,
  buildQuery,
  validateQuery,
  modeLabel,
  describeQuery,
} = require('../../utils/query')
const filters = require('../../utils/filters')
const { resultsUrl, openImport, PAGES } = require('../../utils/routes')
const storage = require('../../utils/storage')
const marks = require('../../utils/marks')
const { apiConfig, operatorConfig } = require('../../config')
const consent = require('../../utils/consent')

const COMMON_TAGS = [
  '科幻', '悬疑', '爱情', '喜剧', '动画', '犯罪', '治愈', '纪录片',
  '战争', '恐怖', '奇幻', '历史', '动作', '剧情', '家庭', '青春',
]
const THEME_EXAMPLES = ['时间循环', '小人物的逆袭', '孤独的太空旅行', '和家人和解', '像《海上钢琴师》那样的电影']
const STAR_EXAMPLES = ['周星驰', '梁朝伟', '巩俐', '汤姆·汉克斯', '宫崎骏']
const MOOD_EXAMPLES = ['今晚想看点轻松的', '想好好哭一场', '烧脑一点', '适合和家人一起看']
const RECENT_SHOWN = 5
const NO_TASTE = '写下此刻的心情，或先导入豆瓣记录'

/** What the person's marks hold, for the 为我推荐 panel. */
function tasteSummary() {
  const { liked, disliked } = marks.taste()
  return { liked: liked.length, disliked: disliked.length, seen: storage.seen.all().length }
}

Component({
  data: {
    modes: MODES,
    mode: 'tags',
    commonTags: COMMON_TAGS,
    themeExamples: THEME_EXAMPLES,
    starExamples: STAR_EXAMPLES,
    moodExamples: MOOD_EXAMPLES,
    countChoices: COUNT_CHOICES.map((count) => ({ value: count, label: `${count} 部` })),
    limits: LIMITS,
    tags: [],
    theme: '',
    star: '',
    mood: '',
    count: LIMITS.defaultCount,
    filters: {},
    filterText: '',
    filtersShown: false,
    taste: { liked: 0, disliked: 0, seen: 0 },
    problem: validateQuery(buildQuery('tags')),
    summary: '',
    recent: [],
    configProblem: '', // this build cannot reach the API (config.js): said at the top
  },
  observers: {
    // The 推荐 button follows the same limits as the API; its hint says what it will ask for.
    'mode, tags, theme, star, mood, count, filters, taste'() {
      const query = this.currentQuery()
      const problem = this.problemWith(query)
      const text = filters.describe(query.filters)
      const summary = problem ? '' : [describeQuery(query), text, `${query.count} 部`].filter(Boolean).join(' · ')
      this.setData({ problem, summary, filterText: text })
    },
  },
  methods: {
    onLoad() {
      this.setData({ configProblem: apiConfig().problem || operatorConfig().problem })
      // Someone whose taste the app knows starts from it.
      if (marks.taste().liked.length) this.setData({ mode: 'for_me' })
    },
    onShow() {
      // First use: the agreements come before anything is asked for.
      if (!consent.accepted()) consent.ask()
      const recent = storage.history
        .all()
        .slice(0, RECENT_SHOWN)
        .map((entry) => ({
          ...entry,
          modeLabel: modeLabel(entry.query.mode),
          reopens: Boolean(storage.reopenableRequest(entry)),
        }))
      // The marks may have changed elsewhere (a card, an import, a sync).
      this.setData({ recent, taste: tasteSummary() })
    },
    currentQuery() {
      const { mode, tags, theme, star, mood, count } = this.data
      return buildQuery(mode, { tags, theme, star, mood, count, filters: this.data.filters })
    },
    /** Why 推荐 cannot ask yet: the query's own problem, or for_me with nothing to go on. */
    problemWith(query) {
      const problem = validateQuery(query)
      if (problem || query.mode !== 'for_me') return problem
      return this.data.taste.liked || query.mood ? '' : NO_TASTE
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
    onImportTap() {
      openImport()
    },
    onFiltersTap() {
      this.setData({ filtersShown: true })
    },
    onFiltersClose() {
      this.setData({ filtersShown: false })
    },
    onFiltersApply(event) {
      this.setData({ filters: event.detail.filters, filtersShown: false })
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
