#!/usr/bin/env python3
"""Script with os.path already imported."""
import os.path

from openai import OpenAI

client = OpenAI(timeout=os.path.getsize(__file__))
