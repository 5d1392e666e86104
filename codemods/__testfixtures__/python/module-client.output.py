import os
import openai
openai.base_url = os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1")

resp = openai.chat.completions.create(model="gpt-4o", messages=[])
