"""The reliability suite: crash, concurrency, fuzzing, hostile HTTP, authentication attacks,
isolation.
"""
