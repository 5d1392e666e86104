"""The v1 module-level client, configured by assignment."""
import openai

openai.api_key = "sk-test"


def ask(q):
    return openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])
