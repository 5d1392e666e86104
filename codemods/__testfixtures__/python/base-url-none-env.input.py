import os

from openai import OpenAI

default = OpenAI(base_url=None)
configurable = OpenAI(base_url=os.getenv("LLM_BASE_URL"))
