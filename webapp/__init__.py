"""Jifen (积分): village points and lists.

create_app lives in webapp.app; importing webapp.domain pulls in no Flask.
"""

__version__ = "0.1.0"
