import os

from openai import OpenAI

default = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"))
configurable = OpenAI(base_url=os.getenv("LLM_BASE_URL"))
