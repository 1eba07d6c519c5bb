"""Cards other apps add to the complaint page (e.g. improvement actions, service recovery): each entry is a
function (request, complaint) → {"template": …, **context} or None, rendered in the side column."""

DETAIL_CARDS: list = []


def cards_for(request, complaint) -> list[dict]:
    return [card for build in DETAIL_CARDS if (card := build(request, complaint))]
