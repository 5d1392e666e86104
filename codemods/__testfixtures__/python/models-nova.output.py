from openai import OpenAI

client = OpenAI(base_url="http://127.0.0.1:8080/v1")
r = client.chat.completions.create(model="amazon.nova-lite-v1:0", messages=[])
