from openai import OpenAI

c1 = OpenAI()
files = c1.files


def up(path):
    return files.create(file=open(path, "rb"), purpose="batch")


c2 = OpenAI()
embeddings = c2.embeddings


def embed(text):
    return embeddings.create(model="text-embedding-3-small", input=text)
