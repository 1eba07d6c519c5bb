"""REST endpoints of the classification app."""

from ninja import Router

router = Router()
