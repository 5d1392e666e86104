"""Chat helpers."""
from openai import OpenAI, AsyncOpenAI

client = OpenAI()
aclient = AsyncOpenAI(api_key="sk-test")


def ask(q):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])
