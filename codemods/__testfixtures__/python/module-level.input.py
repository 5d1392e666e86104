import openai

openai.api_key = "sk-test"
openai.api_base = "https://api.openai.com/v1"

resp = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
