"""REST endpoints of the rating app."""

from ninja import Router

router = Router()
