import os
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langchain_community.chat_models import ChatOpenAI as LegacyChat

llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
emb = OpenAIEmbeddings(model="text-embedding-3-small", base_url=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"), api_key=os.environ.get("NOVA_PROXY_API_KEY"))
old = LegacyChat(openai_api_base=os.environ.get("NOVA_PROXY_URL", "http://127.0.0.1:8080/v1"))
