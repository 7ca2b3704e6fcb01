"""`Authorization: Bearer <secret>` (or `Token <secret>`) with a personal API token."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken, secret_hash
from .services import token_used

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A usable token authenticates its person; a revoked, expired or unknown one is a 401. The
    person's scope is computed from them at each request, as for the pages: a token outlives no
    appointment's rights."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Cabecera de autorización no válida."))
        try:
            secret = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token no válido.")) from None
        token = (
            ApiToken.objects.usable(timezone.now())
            .select_related("user")
            .filter(key_hash=secret_hash(secret), user__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token no válido, vencido o revocado."))
        token_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # A 401 (not a 403) for requests without credentials: DRF asks the first class for this.
        return 'Bearer realm="api"'
