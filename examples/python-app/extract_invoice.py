"""Turn an invoice e-mail into structured fields with the OpenAI API (JSON output).

    python extract_invoice.py < invoice.txt
"""
import json
import sys

from openai import OpenAI

# The client reads OPENAI_API_KEY from the environment.
client = OpenAI()

SYSTEM_PROMPT = (
    "You extract invoice data from e-mails for the accounts-payable team. "
    "Amounts are numbers without currency symbols; dates are YYYY-MM-DD; "
    "use null for a field the e-mail does not give."
)

INVOICE_SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "supplier": {"type": "string"},
        "amount": {"type": "number"},
        "currency": {"type": "string", "description": "ISO 4217 code, e.g. EUR"},
        "due_date": {"type": ["string", "null"]},
    },
    "required": ["invoice_number", "supplier", "amount", "currency", "due_date"],
    "additionalProperties": False,
}


def extract(email: str) -> dict:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        temperature=0,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": email},
        ],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "invoice", "strict": True, "schema": INVOICE_SCHEMA},
        },
    )
    return json.loads(response.choices[0].message.content)


if __name__ == "__main__":
    print(json.dumps(extract(sys.stdin.read()), indent=2))
