"""The model: asking an OpenAI-compatible chat model for movies and reading what it answers.

``client`` (the streamed call, retries and top-ups), ``chat_request`` (what is asked of a provider and which
request features it refuses), ``chat_chunks`` (stream chunks of any shape), ``answer_stream`` (the movies read out
of the answer as it streams), ``reasoning`` (a model's thinking told from its answer), ``movie_fields`` (a movie
object as models write it), ``answer`` (the movies it names, as pydantic models) and ``prompts``.

Only the recommend worker loads this package: the API never calls the model.
"""
