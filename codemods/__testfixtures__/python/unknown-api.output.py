import os
from openai import OpenAI

video = OpenAI()
hooks = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))


def render(prompt):
    return video.videos.create(model="sora-2", prompt=prompt)


def unwrap(body, headers):
    return hooks.webhooks.unwrap(body, headers)
