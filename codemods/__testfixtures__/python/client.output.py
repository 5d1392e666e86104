"""Chat helpers."""
import os
from openai import OpenAI, AsyncOpenAI

client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
aclient = AsyncOpenAI(api_key="sk-test", base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"))


def ask(q):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])
