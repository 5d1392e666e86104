import os
from openai import OpenAI

c1 = OpenAI()
files = c1.files


def up(path):
    return files.create(file=open(path, "rb"), purpose="batch")


c2 = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
embeddings = c2.embeddings


def embed(text):
    return embeddings.create(model="text-embedding-3-small", input=text)
