"""Sending the portal's e-mails, below every app: rendering (French, text and HTML bodies,
one message per recipient), French dates, and the retry of a failed e-mail task.

It imports none of the portal's apps, like ``ops``: the apps' tasks call it.
"""
