import sys


def platform_name(request):
    return f"{sys.platform}:{request.fixturename}"
