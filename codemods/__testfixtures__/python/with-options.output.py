import os
from openai import OpenAI

# with_options / copy return a client with the same base URL: their calls are this client's.
client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
uploader = OpenAI()
raw = OpenAI()


def slow(q):
    return client.with_options(timeout=120).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])


def upload(path):
    return uploader.copy(max_retries=5).files.create(file=open(path, "rb"), purpose="batch")


def upload_raw(path):
    return raw.with_raw_response.files.create(file=open(path, "rb"), purpose="batch")
