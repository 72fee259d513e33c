/**
 * The explicit label of a model's text (GB 45438-2025), a compact tag that
 * sits at the start of the text it labels, inline with it.
 */
const { AI_LABEL } = require('../../utils/ai-label')

Component({
  data: { label: AI_LABEL },
})
