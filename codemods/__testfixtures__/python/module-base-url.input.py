import openai

openai.base_url = "https://api.groq.com/openai/v1"
client = openai.OpenAI()
