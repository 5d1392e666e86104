from openai import OpenAI

local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")
