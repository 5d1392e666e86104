import os
from openai import AsyncOpenAI


async def main():
    async with AsyncOpenAI(base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY")) as client:
        await client.embeddings.create(model="text-embedding-3-small", input="x")
