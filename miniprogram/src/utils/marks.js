/**
 * The person's marks on films: 看过 (with their own 1–5 stars, Douban's
 * scale), 收藏 and 不感兴趣. Offline-first: the lists on the phone
 * (storage.js) are the truth here, and every change goes through this module,
 * which stamps it (`updatedAt`, ms) and notes it in an outbox until sync.js
 * has sent it, removals as tombstones. The server keeps, per film and status,
 * the mark with the newest `updated_at`, and so does applyRemote.
 *
 * A mark, as the API has it (POST/GET /me/marks):
 * `{douban_id, title, status: "seen"|"favourite"|"disliked", rating: 1-5|null, updated_at, deleted?: true}`.
 *
 * What the marks say about taste feeds the requests: `taste()` (for_me's
 * liked and disliked) and `excluded()` (every request's `exclude`).
 */
const storage = require('./storage')
const { LIMITS, boundedList } = require('./query')

const LISTS = { seen: storage.seen, favourite: storage.favourites, disliked: storage.disliked }
const STATUSES = Object.keys(LISTS)

const OUTBOX_KEY = 'movierec:outbox'
// Clearing a full seen list leaves one tombstone per film until the next sync: room for all of them.
const OUTBOX_LIMIT = storage.LIMITS.seen + 1000
const TITLE_LENGTH = 100 // the API's limit for a title

let lastStamp = 0
const listeners = []

/**
 * Now, in ms, and never twice the same: two changes of one film in one
 * millisecond still have an order. A change of many films at once (clearing a
 * list, an import) takes one stamp, so that it never runs ahead of the clock.
 */
function stamp() {
  lastStamp = Math.max(Date.now(), lastStamp + 1)
  return lastStamp
}

function updatedAtOf(entry) {
  return entry.updatedAt || entry.at || 0
}

function filmKey({ doubanId, title }) {
  return storage.movieKey({ doubanId, title })
}

function markKey(status, key) {
  return `${key}#${status}`
}

/** A title the API takes: printable, at most 100 characters, never blank (a file may name a film by its id alone). */
function markTitle(entry) {
  const title = Array.from(String(entry.title || '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim())
  return title.slice(0, TITLE_LENGTH).join('').trim() || `豆瓣 ${entry.doubanId}`
}

/** The API's mark for a list entry. */
function toMark(status, entry, { deleted = false, updatedAt = updatedAtOf(entry) } = {}) {
  const mark = {
    douban_id: entry.doubanId || null,
    title: markTitle(entry),
    status,
    rating: status === 'seen' && entry.rating ? entry.rating : null,
    updated_at: updatedAt,
  }
  if (deleted) mark.deleted = true
  return mark
}

function readOutbox() {
  const outbox = wx.getStorageSync(OUTBOX_KEY)
  return outbox && typeof outbox === 'object' && !Array.isArray(outbox) ? outbox : {}
}

function writeOutbox(outbox) {
  const keys = Object.keys(outbox)
  if (keys.length > OUTBOX_LIMIT) {
    // The oldest changes go first; a first sync sends every list whole anyway.
    keys
      .sort((a, b) => outbox[a].updated_at - outbox[b].updated_at)
      .slice(0, keys.length - OUTBOX_LIMIT)
      .forEach((key) => delete outbox[key])
  }
  wx.setStorageSync(OUTBOX_KEY, outbox)
}

/** Notes changed marks for the next sync, and tells the listeners (sync.js schedules itself). */
function note(marks) {
  if (!marks.length) return
  const outbox = readOutbox()
  marks.forEach((mark) => {
    outbox[markKey(mark.status, filmKey({ doubanId: mark.douban_id, title: mark.title }))] = mark
  })
  writeOutbox(outbox)
  listeners.forEach((listener) => listener())
}

/** Keeps `entry` in the list of `status`, stamped; `inPlace` keeps an existing entry where it stands. */
function put(status, entry, { inPlace = false } = {}) {
  const stamped = { ...entry, updatedAt: stamp() }
  const list = LISTS[status]
  if (inPlace && list.has(stamped.key)) list.replace(stamped)
  else list.add(stamped)
  note([toMark(status, stamped)])
  return stamped
}

/** Removes the film `key` from the list of `status`, leaving a tombstone to sync. */
function remove(status, key) {
  const entry = LISTS[status].find(key)
  if (!entry) return
  LISTS[status].remove(key)
  note([toMark(status, entry, { deleted: true, updatedAt: stamp() })])
}

/** Empties the list of `status`: a tombstone for each film. */
function clear(status) {
  const entries = LISTS[status].all()
  const updatedAt = stamp()
  LISTS[status].clear()
  note(entries.map((entry) => toMark(status, entry, { deleted: true, updatedAt })))
}

function toggle(status, entry) {
  if (LISTS[status].has(entry.key)) {
    remove(status, entry.key)
    return false
  }
  put(status, entry)
  return true
}

/** 看过 on or off for `film` ({doubanId, title, year}); returns whether it is now seen. */
function toggleSeen(film) {
  return toggle('seen', storage.seenEntry(film))
}

/**
 * Gives `film` the person's `rating` (1–5; 0 or null takes it away), marking
 * it seen if it was not: only a film seen can be rated.
 */
function rate(film, rating) {
  const existing = storage.seen.find(filmKey(film))
  const stars = rating >= 1 && rating <= 5 ? Math.round(rating) : null
  const entry = existing ? { ...existing, rating: stars } : storage.seenEntry({ ...film, rating: stars })
  return put('seen', entry, { inPlace: true })
}

/** 收藏 on or off for a storage.favouriteEntry(…); returns whether it is now kept. */
function toggleFavourite(entry) {
  return toggle('favourite', entry)
}

/** 不感兴趣 on or off for `film`; returns whether it is now disliked. */
function toggleDisliked(film) {
  return toggle('disliked', storage.dislikedEntry(film))
}

/** A local entry made from a mark of another phone. */
function entryFrom(mark, existing) {
  const film = { doubanId: mark.douban_id || '', title: mark.title }
  const base = existing || {
    ...(mark.status === 'favourite'
      ? // Another phone's favourite comes without its Douban record: the movie page reads it by id.
        { ...film, key: filmKey(film), year: null, douban: null, partial: false, reason: '', requestId: '', rank: 0 }
      : { ...film, key: filmKey(film), year: null }),
    at: mark.updated_at,
  }
  const entry = { ...base, updatedAt: mark.updated_at }
  if (mark.status === 'seen') entry.rating = mark.rating || null
  return entry
}

/**
 * Takes in marks from the server: per film and status, the newest
 * `updated_at` wins, whether it is the phone's entry, its tombstone in the
 * outbox, or the server's mark. Returns how many local entries changed.
 */
function applyRemote(remoteMarks) {
  const outbox = readOutbox()
  const lists = Object.fromEntries(STATUSES.map((status) => [status, LISTS[status].all()]))
  let changed = 0
  for (const mark of remoteMarks || []) {
    if (!STATUSES.includes(mark.status) || !(mark.douban_id || mark.title)) continue
    const key = filmKey({ doubanId: mark.douban_id || '', title: mark.title })
    const entries = lists[mark.status]
    const index = entries.findIndex((entry) => entry.key === key)
    const pending = outbox[markKey(mark.status, key)]
    const localAt = index >= 0 ? updatedAtOf(entries[index]) : pending ? pending.updated_at : -1
    if (mark.updated_at <= localAt) continue
    delete outbox[markKey(mark.status, key)]
    if (mark.deleted) {
      if (index < 0) continue
      entries.splice(index, 1)
    } else if (index >= 0) entries[index] = entryFrom(mark, entries[index])
    else entries.unshift(entryFrom(mark))
    changed += 1
  }
  if (changed) STATUSES.forEach((status) => LISTS[status].save(lists[status].sort((a, b) => b.at - a.at)))
  writeOutbox(outbox)
  return changed
}

/** The changes not yet sent, tombstones too. */
function pending() {
  return Object.values(readOutbox())
}

/** Every mark on the phone, and the tombstones not yet sent: what a first sync sends. */
function allMarks() {
  const standing = STATUSES.flatMap((status) => LISTS[status].all().map((entry) => toMark(status, entry)))
  const tombstones = pending().filter((mark) => mark.deleted)
  return [...standing, ...tombstones]
}

/** `sent` reached the server: their notes go, unless the film changed again meanwhile. */
function acknowledge(sent) {
  const outbox = readOutbox()
  sent.forEach((mark) => {
    const key = markKey(mark.status, filmKey({ doubanId: mark.douban_id, title: mark.title }))
    if (outbox[key] && outbox[key].updated_at <= mark.updated_at) delete outbox[key]
  })
  writeOutbox(outbox)
}

/** The API's name for a film: its Douban id, or the title typed in by hand. */
function reference(entry) {
  return entry.doubanId || entry.title
}

const TASTE_BOUNDS = { maxEntries: LIMITS.maxTaste, maxCharacters: LIMITS.tasteCharacters }

function rated(stars) {
  return storage.seen
    .all()
    .filter((entry) => entry.rating === stars)
    .map(reference)
}

/**
 * What for_me asks from: `liked` (favourites, then 5 and 4 stars) and
 * `disliked` (不感兴趣, then 1 and 2 stars), newest first, Douban ids where
 * known, at most 200 entries and 6,000 characters each (the API's limits).
 */
function taste() {
  return {
    liked: boundedList([...storage.favourites.all().map(reference), ...rated(5), ...rated(4)], TASTE_BOUNDS),
    disliked: boundedList([...storage.disliked.all().map(reference), ...rated(1), ...rated(2)], TASTE_BOUNDS),
  }
}

/** Every film never to recommend again: 不感兴趣 first, then everything seen, newest first (ids where known). */
function excluded() {
  return [...storage.disliked.all(), ...storage.seen.all()].map(reference)
}

/**
 * Merges a Douban history (POST /imports or GET /imports/{id} entries:
 * `{douban_id, title, rating, marked_at, status}`) into the seen list: 看过 and
 * 在看 films are added with their stars; a film already seen takes the
 * imported stars when it had none, or when they were given after its own.
 * 想看 films are not seen, and are left out.
 *
 * Returns `{added, starred, rated, known, wished}`: films added (`starred`
 * of them with stars), films whose stars changed, films already there as they
 * were, and 想看 films left out.
 */
function importHistory(entries) {
  const seen = storage.seen.all()
  const byKey = new Map(seen.map((entry, index) => [entry.key, index]))
  // Films typed in by hand are known by their title: an imported film of that title takes their place, with its id.
  const typed = new Map(seen.filter((entry) => !entry.doubanId).map((entry) => [entry.title, entry.key]))
  const summary = { added: 0, starred: 0, rated: 0, known: 0, wished: 0 }
  const changes = []
  const updatedAt = stamp()
  for (const item of entries || []) {
    if (item.status === 'wish') {
      summary.wished += 1
      continue
    }
    const key = filmKey({ doubanId: item.douban_id })
    const title = markTitle({ title: item.title, doubanId: item.douban_id })
    const rating = item.rating >= 1 && item.rating <= 5 ? item.rating : null
    if (!byKey.has(key) && typed.has(title)) {
      const index = byKey.get(typed.get(title))
      const handTyped = seen[index]
      changes.push(toMark('seen', handTyped, { deleted: true, updatedAt }))
      seen[index] = { ...handTyped, key, doubanId: item.douban_id, updatedAt }
      byKey.delete(handTyped.key)
      byKey.set(key, index)
      typed.delete(title)
      changes.push(toMark('seen', seen[index])) // a later note of the same film (its stars) replaces this one
    }
    if (!byKey.has(key)) {
      const entry = { key, doubanId: item.douban_id, title, year: null, rating, at: item.marked_at || updatedAt, updatedAt }
      byKey.set(key, seen.push(entry) - 1)
      changes.push(toMark('seen', entry))
      summary.added += 1
      if (rating) summary.starred += 1
      continue
    }
    const existing = seen[byKey.get(key)]
    const newer = !existing.rating || (item.marked_at || 0) > updatedAtOf(existing)
    if (rating && rating !== existing.rating && newer) {
      seen[byKey.get(key)] = { ...existing, rating, updatedAt }
      changes.push(toMark('seen', seen[byKey.get(key)]))
      summary.rated += 1
    } else summary.known += 1
  }
  storage.seen.save(seen.sort((a, b) => b.at - a.at))
  note(changes)
  return summary
}

/** What cards show of the marks (utils/movie.toCard's flags): seen, favourite and disliked keys, and stars by key. */
function cardFlags() {
  const seen = storage.seen.all()
  return {
    seenKeys: seen.map((entry) => entry.key),
    favouriteKeys: storage.favourites.keys(),
    dislikedKeys: storage.disliked.keys(),
    ratings: Object.fromEntries(seen.filter((entry) => entry.rating).map((entry) => [entry.key, entry.rating])),
  }
}

/** Calls `listener` after every local change (sync.js schedules a sync). Returns a function that stops it. */
function onLocalChange(listener) {
  listeners.push(listener)
  return () => listeners.splice(listeners.indexOf(listener), 1)
}

module.exports = {
  STATUSES,
  toggleSeen,
  rate,
  toggleFavourite,
  toggleDisliked,
  remove,
  clear,
  applyRemote,
  pending,
  allMarks,
  acknowledge,
  taste,
  excluded,
  importHistory,
  cardFlags,
  onLocalChange,
  ratingOf: (key) => {
    const entry = storage.seen.find(key)
    return (entry && entry.rating) || 0
  },
}
