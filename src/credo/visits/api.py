"""REST endpoints of the visits app."""

from ninja import Router

router = Router()
