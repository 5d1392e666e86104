import os
from openai import OpenAI
from langchain_openai import ChatOpenAI

client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
groq = OpenAI(base_url="https://api.groq.com/openai/v1")
llm = ChatOpenAI(model="gpt-4o", base_url="https://api.groq.com/openai/v1")
mini = ChatOpenAI(model="amazon.nova-lite-v1:0", base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))

a = client.chat.completions.create(model="amazon.nova-lite-v1:0", messages=[])
b = groq.chat.completions.create(model="gpt-4o-mini", messages=[])
c = client.beta.chat.completions.parse(model="amazon.nova-pro-v1:0", messages=[], extra_body={"model": "gpt-4o"})
d = dict(model="gpt-4o")


def make():
    groq = OpenAI(base_url="https://api.groq.com/openai/v1")
    return groq.chat.completions.create(model="gpt-4o", messages=[])


def again():
    client = OpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
    return client.chat.completions.create(model="amazon.nova-pro-v1:0", messages=[])
