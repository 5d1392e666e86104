from openai import OpenAI


class Store:
    client = OpenAI()

    def up(self, path):
        return self.client.files.create(file=open(path, "rb"), purpose="batch")


class Chat:
    client: OpenAI = OpenAI()

    def ask(self, q):
        return Chat.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": q}])

    def upload(self, path):
        return Chat.client.batches.create(input_file_id=path, endpoint="/v1/chat/completions", completion_window="24h")


other = OpenAI()


def f(path, c=other):
    return c.files.create(file=open(path, "rb"), purpose="batch")
