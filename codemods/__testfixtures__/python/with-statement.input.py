from openai import AsyncOpenAI


async def main():
    async with AsyncOpenAI() as client:
        await client.embeddings.create(model="text-embedding-3-small", input="x")
