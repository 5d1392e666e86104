#!/usr/bin/env python3
"""Script with os.path already imported."""
import os.path

from openai import OpenAI

client = OpenAI(timeout=os.path.getsize(__file__), base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
