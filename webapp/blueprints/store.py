"""(being written)"""

from flask import Blueprint

bp = Blueprint("store", __name__)
