"""Importing a person's Douban history: the films they marked 看过, 在看 or 想看, with their own 1-5 stars.

Two ways in, one result shape (:class:`~movierec.history_import.models.HistoryEntry` in file order):

- a file the person already has: :func:`~movierec.history_import.detect.read_history_file` tells the export tool
  from the content and hands it to that tool's reader (one module per format, each pure);
- their Douban user id or profile link: :class:`~movierec.history_import.user_import.UserImports` reads the public
  看过 list through Douban's mobile API as a queued job (:mod:`movierec.douban.interests` is the HTTP side).
"""
