"""REST endpoints of the limits app."""

from ninja import Router

router = Router()
