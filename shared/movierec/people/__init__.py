"""The people who ask: signing in with WeChat, their marks, their limits and the safety of what they type.

``sessions`` (opaque tokens from a wx.login code), ``wechat`` (WeChat's server API: jscode2session and msgSecCheck),
``marks`` and ``mark_store`` (看过, 收藏 and 不感兴趣, merged between phones), ``usage_limits`` (requests per minute
and the day's model tokens, per person) and ``content_safety`` (WeChat's check of typed text and of the reasons).
"""
