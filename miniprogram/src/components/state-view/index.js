// One line-icon family across the app (assets/icons), rather than emoji that each phone draws its own way.
const LOOKS = {
  empty: { icon: '/assets/icons/film.svg', title: '这里空空的' },
  error: { icon: '/assets/icons/alert.svg', title: '出了点问题' },
  offline: { icon: '/assets/icons/wifi-off.svg', title: '网络好像断开了' },
  // Nothing went wrong, the way on is elsewhere (a Moments link: 前往小程序).
  info: { icon: '/assets/icons/film.svg', title: '' },
}

/** A friendly full-width message for empty, failed, offline and info states, with one action. */
Component({
  properties: {
    type: { type: String, value: 'empty' },
    title: { type: String, value: '' },
    message: { type: String, value: '' },
    actionText: { type: String, value: '' },
  },
  data: {
    icon: LOOKS.empty.icon,
    heading: LOOKS.empty.title,
  },
  observers: {
    'type, title'(type, title) {
      const look = LOOKS[type] || LOOKS.empty
      this.setData({ icon: look.icon, heading: title || look.title })
    },
  },
  methods: {
    onAction() {
      this.triggerEvent('action', { type: this.data.type })
    },
  },
})
