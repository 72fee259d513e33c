"""A recommendation request's life, from intake to its last card.

``intake`` (a request taken: limits, content check, stored, queued), ``validation`` (its problems as a client reads
them), ``models`` (the movies, the view a poll returns, the queue jobs), ``storage`` (the request's DynamoDB item),
``recommend`` (the model asked and each movie sent to be looked up), ``scrape`` (one movie looked up on Douban),
``grounding`` (what may be shown: exclusions, each mode's rule, the filters), ``progress`` (when a request is done,
or needs a top-up) and ``movie_cards`` (one movie by its Douban id).
"""
