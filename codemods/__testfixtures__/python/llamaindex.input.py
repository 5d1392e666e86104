from llama_index.llms.openai import OpenAI

llm = OpenAI(model="gpt-4o-mini")
