from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def production_settings(app_configs, **kwargs):
    errors = []
    if settings.DEBUG:
        errors.append(Error("DEBUG is on.", hint="Set DEBUG=0 in production.", id="credo.E001"))
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        errors.append(Error("SECRET_KEY is the development default.", hint="Set SECRET_KEY.", id="credo.E002"))
    return errors
