import os
import openai

openai.api_key = "sk-test"
openai.api_base = os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1")

resp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
