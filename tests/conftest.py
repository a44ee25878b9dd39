import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Lets tests import `harness` and `cases` as top-level modules.
sys.path.insert(0, os.path.dirname(__file__))
