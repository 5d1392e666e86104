from openai import OpenAI
from langchain_openai import ChatOpenAI

client = OpenAI()
groq = OpenAI(base_url="https://api.groq.com/openai/v1")
llm = ChatOpenAI(model="gpt-4o", base_url="https://api.groq.com/openai/v1")
mini = ChatOpenAI(model="gpt-4o-mini")

a = client.chat.completions.create(model="gpt-4o-mini", messages=[])
b = groq.chat.completions.create(model="gpt-4o-mini", messages=[])
c = client.beta.chat.completions.parse(model="gpt-4o", messages=[], extra_body={"model": "gpt-4o"})
d = dict(model="gpt-4o")


def make():
    groq = OpenAI(base_url="https://api.groq.com/openai/v1")
    return groq.chat.completions.create(model="gpt-4o", messages=[])


def again():
    client = OpenAI()
    return client.chat.completions.create(model="gpt-4o", messages=[])
