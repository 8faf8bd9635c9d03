"""The queue interface: Celery tasks, thin, one module per feature.

Each takes ids and plain values and calls one service function.
"""
