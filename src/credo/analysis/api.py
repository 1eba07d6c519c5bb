"""REST endpoints of the analysis app."""

from ninja import Router

router = Router()
