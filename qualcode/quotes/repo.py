"""The quote bank's repository, now qualcode.store.quotes; this name stays for callers not yet moved over."""

from qualcode.store.quotes import *  # noqa: F401,F403
from qualcode.store.quotes import BANKS_KEY  # noqa: F401
