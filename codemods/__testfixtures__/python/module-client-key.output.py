"""The v1 module-level client, configured by assignment."""
import os
import openai

openai.api_key = "sk-test"
openai.base_url = os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1")


def ask(q):
    return openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])
