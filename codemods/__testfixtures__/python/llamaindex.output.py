import os
from llama_index.llms.openai import OpenAI

llm = OpenAI(model="gpt-4o-mini", api_base=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
