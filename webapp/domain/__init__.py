"""The rules engine of Jifen: pure Python, no Flask, no database."""
