"""movierec: LLM movie recommendations grounded in Douban."""
