const { formatCount } = require('../../utils/movie')

/** Douban's 0–10 rating as five stars filled to the exact fraction, or 暂无评分. */
Component({
  properties: {
    // null when Douban shows no rating (too few votes, not yet released …)
    rating: { type: null, value: null },
    count: { type: null, value: null },
    size: { type: String, value: 'small' },
  },
  data: {
    rated: false,
    percent: 0,
    score: '',
    countText: '',
  },
  observers: {
    'rating, count'(rating, count) {
      const rated = typeof rating === 'number' && rating > 0
      this.setData({
        rated,
        percent: rated ? Math.min(rating, 10) * 10 : 0,
        score: rated ? rating.toFixed(1) : '',
        countText: rated && count ? `${formatCount(count)}人评价` : '',
      })
    },
  },
})
