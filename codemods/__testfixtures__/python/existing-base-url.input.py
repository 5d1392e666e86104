import os

from openai import OpenAI

groq = OpenAI(base_url="https://api.groq.com/openai/v1", api_key=os.environ["GROQ_API_KEY"])
direct = OpenAI(base_url="https://api.openai.com/v1")
