"""What other apps add to the complaint pages without complaints importing them.

DETAIL_CARDS   cards of the complaint page (e.g. claims, improvement actions, service recovery): functions
               (request, complaint) → {"template": …, **context} or None, rendered in the side column.
SERVICE_PARTS  sections of the customer card's Service tab under its complaints (e.g. the customer's claims):
               functions (request, customer) → {"template": …, **context} or None.
"""

DETAIL_CARDS: list = []
SERVICE_PARTS: list = []


def cards_for(request, complaint) -> list[dict]:
    return [card for build in DETAIL_CARDS if (card := build(request, complaint))]


def service_parts(request, customer) -> list[dict]:
    return [part for build in SERVICE_PARTS if (part := build(request, customer))]
