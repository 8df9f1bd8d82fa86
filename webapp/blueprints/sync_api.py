"""(being written)"""

from flask import Blueprint

bp = Blueprint("sync_api", __name__)
