import openai

resp = openai.chat.completions.create(model="gpt-4o", messages=[])
