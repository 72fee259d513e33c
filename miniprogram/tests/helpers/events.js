/** Records the `detail` of every `eventName` a component triggers. */
function recordEvents(comp, eventName) {
  const details = []
  comp.addEventListener(eventName, (event) => details.push(event.detail))
  return details
}

module.exports = { recordEvents }
