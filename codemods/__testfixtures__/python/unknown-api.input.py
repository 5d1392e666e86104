from openai import OpenAI

video = OpenAI()
hooks = OpenAI()


def render(prompt):
    return video.videos.create(model="sora-2", prompt=prompt)


def unwrap(body, headers):
    return hooks.webhooks.unwrap(body, headers)
