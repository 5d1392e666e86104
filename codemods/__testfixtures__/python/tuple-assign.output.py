import os
from openai import OpenAI

# Each value of a tuple assignment goes to the name in the same position.
chat, uploader = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY")), OpenAI()


def ask(q):
    return chat.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])


def up(path):
    return uploader.files.create(file=open(path, "rb"), purpose="batch")
