from django.utils.functional import SimpleLazyObject

from .scope import roles_of


def roles(request):
    """The user's roles for the navigation; computed only when a template asks."""
    return {"roles": SimpleLazyObject(lambda: roles_of(request.user))}
