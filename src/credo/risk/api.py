"""REST endpoints of the risk app."""

from ninja import Router

router = Router()
