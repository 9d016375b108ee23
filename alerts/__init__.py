"""Following the catalogue: saved selections (alerts) with their e-mail digests, the
moderators' digest, and the schedule the worker runs (``run_worker``).

An alert is the query string of a catalogue page (``/actions/?theme=…``), evaluated again with
the catalogue's own ``ActionFilterSet`` at each digest. It sits above ``catalogue`` (whose
filters it reads) and ``workspace``, beside ``observatory``.
"""
