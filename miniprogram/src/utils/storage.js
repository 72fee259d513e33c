/**
 * What the person keeps on the phone: request history, the seen list (with
 * their own stars), favourites and the films they are not interested in. Each
 * list is newest first, unique by `key` and bounded, so local storage (10 MB
 * per mini-program, 1 MB per key) never fills up. Changes to the three lists
 * of marks go through marks.js, which stamps and syncs them.
 */

const LIMITS = {
  history: 30,
  // An imported Douban history: the import by id reads at most 5,000 films. A seen entry is about 120 bytes.
  seen: 5000,
  // A favourite keeps the whole Douban record (about 2 KB).
  favourites: 200,
  disliked: 1000,
  // Cards the person reported (反馈/举报), hidden from them at once: the server hides them too, for 30 days.
  reported: 300,
}

function createList(storageKey, limit) {
  function all() {
    const items = wx.getStorageSync(storageKey)
    return Array.isArray(items) ? items : []
  }

  function save(items) {
    wx.setStorageSync(storageKey, items.slice(0, limit))
  }

  function find(key) {
    return all().find((item) => item.key === key) || null
  }

  function remove(key) {
    save(all().filter((item) => item.key !== key))
  }

  /** Puts `item` first; an older entry with the same key is replaced. */
  function add(item) {
    save([item, ...all().filter((each) => each.key !== item.key)])
  }

  return {
    all,
    find,
    has: (key) => find(key) !== null,
    add,
    remove,
    /** Adds `item` if absent, removes it if present; returns whether it is now kept. */
    toggle(item) {
      if (find(item.key)) {
        remove(item.key)
        return false
      }
      add(item)
      return true
    },
    /** Replaces the entry with `item`'s key where it stands; does nothing when there is none. */
    replace(item) {
      save(all().map((each) => (each.key === item.key ? item : each)))
    },
    clear: () => wx.removeStorageSync(storageKey),
    keys: () => all().map((item) => item.key),
    /** Replaces the whole list (newest first), e.g. after merging an import. */
    save,
  }
}

const history = createList('movierec:history', LIMITS.history)
const seen = createList('movierec:seen', LIMITS.seen)
const favourites = createList('movierec:favourites', LIMITS.favourites)
const disliked = createList('movierec:disliked', LIMITS.disliked)
const reported = createList('movierec:reported', LIMITS.reported)

/** A movie is known by its Douban id; a title typed in by hand by the title. */
function movieKey({ doubanId, title }) {
  return doubanId ? `douban:${doubanId}` : `title:${title}`
}

// The backend keeps a request this long (REQUEST_TTL_DAYS); after that its results are asked for again.
const REQUEST_KEPT_MS = 30 * 24 * 3600 * 1000

/** One query asked for; `requestId` is its latest request, `at` when that was made. */
function historyEntry(query, label, requestId = '') {
  return { key: `${query.mode}:${label}`, label, query, requestId, at: Date.now() }
}

/** The request a history entry can still reopen, or '' when it has none or it has expired. */
function reopenableRequest(entry, now = Date.now()) {
  return entry.requestId && now - entry.at < REQUEST_KEPT_MS ? entry.requestId : ''
}

/** A film seen; `rating` is the person's own 1–5 stars (Douban's scale) or null. */
function seenEntry({ doubanId = '', title, year = null, rating = null }) {
  return { key: movieKey({ doubanId, title }), doubanId, title, year, rating, at: Date.now() }
}

/** A film the person said 不感兴趣 to: never recommended again, and a signal of what they do not like. */
function dislikedEntry({ doubanId = '', title, year = null }) {
  return { key: movieKey({ doubanId, title }), doubanId, title, year, at: Date.now() }
}

/**
 * A favourite keeps the whole Douban record, so it opens without the network;
 * a `partial` one is completed from its recommendation when it is next opened.
 */
function favouriteEntry({ douban, partial = false, reason = '', requestId = '', rank = 0 }) {
  return {
    key: movieKey({ doubanId: douban.id }),
    doubanId: douban.id,
    title: douban.title,
    year: douban.year,
    douban,
    partial: Boolean(partial),
    reason,
    requestId,
    rank,
    at: Date.now(),
  }
}

/** A card the person reported, by its request and rank: hidden from them from now on. */
function reportedEntry(requestId, rank) {
  return { key: reportedKey(requestId, rank), at: Date.now() }
}

function reportedKey(requestId, rank) {
  return `${requestId}#${rank}`
}

module.exports = {
  LIMITS,
  history,
  seen,
  favourites,
  disliked,
  reported,
  reportedEntry,
  reportedKey,
  movieKey,
  historyEntry,
  reopenableRequest,
  seenEntry,
  dislikedEntry,
  favouriteEntry,
}
