"""Worlds shared by the tests of several modules: the villages, households, stores and files a test
starts from, and the small steps (a redemption at the counter, a synced event) that act on them.

One module per world. Test modules import from here and never from each other."""
