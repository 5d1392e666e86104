import os

try:
    from openai import OpenAI
except ImportError:  # optional dependency
    OpenAI = None

client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY")) if OpenAI else None
if OpenAI is not None:
    other = OpenAI(
        # defaults
        base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"),
    )
