"""Douban: finding the right subject (`matching`, `title_keys`), reading it (`parser`, `sources`, the mobile API's
`interests`), and the client that fetches it (`http`, `circuit`, `cache`, `lookup`).

Nothing is imported here: a function loads only the modules it uses (the API's cold start needs the models and the
title keys, not the page parser).
"""
