from openai import OpenAI

# Each value of a tuple assignment goes to the name in the same position.
chat, uploader = OpenAI(), OpenAI()


def ask(q):
    return chat.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])


def up(path):
    return uploader.files.create(file=open(path, "rb"), purpose="batch")
