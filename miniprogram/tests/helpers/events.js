/** Records the `detail` of every `eventName` a component triggers. */
function recordEvents(comp, eventName) {
  const details = []
  comp.addEventListener(eventName, (event) => details.push(event.detail))
  return details
}

/** What `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

module.exports = { recordEvents, rejectionOf }
