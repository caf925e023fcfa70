from django.conf import settings


def sayyes(request):
    return {"signup_enabled": settings.SAYYES_SIGNUP}
