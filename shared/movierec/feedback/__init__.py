"""反馈/举报: what people report about a recommendation (a wrong or offensive reason, a film that does not fit), kept
for the operator, as 《生成式人工智能服务管理暂行办法》 asks of a service: a complaint and report channel.

``models`` (what a report says, and the answer), ``store`` (the feedback table, kept FEEDBACK_TTL_DAYS) and
``reports`` (taking one: the per-person limit, WeChat's check of the words, the reported card hidden from the
reporter at once, the log line the operator reads).
"""
