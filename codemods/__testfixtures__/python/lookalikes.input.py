from my_company.llm import OpenAI
from langchain_anthropic import ChatAnthropic


class ChatOpenAI:
    pass


a = OpenAI()
b = ChatOpenAI()
c = ChatAnthropic(model="claude")
