"""movierec: LLM movie recommendations grounded in Douban.

The package by concern, each layer importing only the ones below it (``make lint`` checks it with import-linter):

- ``runtime``: the composition root; builds every adapter once per Lambda instance from the settings.
- ``privacy``: a person's data as a whole (erasing it); ``feedback``: reports on what was recommended (反馈/举报).
- ``recommendation``: a request's life (intake, storage, progress, the recommend and scrape steps, grounding, cards);
  ``history_import``: reading a person's Douban history, from a file or by user id.
- ``llm``: the model (client, request features, chunks, the streamed answer, reasoning, movie fields, prompts);
  ``people``: who asks (sessions, WeChat's server API, marks and their store, usage limits, content safety).
- ``modes``: what a person can ask, one module per mode, with the filters and the fields people type.
- ``douban``: Douban's data and how it is found, read, fetched and cached.
- ``core``: what every part shares (settings, logging/metrics/tracing, queues, retries, idempotency, secrets, rate
  limits, statuses and error bodies, body limits, the AI label and the operator's details, a person's items in a
  table); it imports nothing of movierec.

Nothing is imported here: a function loads only the modules it uses.
"""
