"""Mock interviews that talk back: personas ask, the coach digs with follow-ups, a report ends it.

``followups`` and ``personas`` are plain Python (no Django); ``services`` is what every door
calls; ``report`` builds the report; ``api`` and ``views`` are the doors.
"""
