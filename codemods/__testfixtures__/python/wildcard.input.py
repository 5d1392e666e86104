from openai import *

client = AsyncOpenAI()
