"""A person's tokens stop working when their second factor is removed (by them or in the admin):
a token made under it must not outlive it (api/permissions.py)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import tokens_revoke_all


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="api-tokens-revoked-with-the-device")
def tokens_revoked_with_the_device(sender, instance, **kwargs):
    if instance.confirmed:
        tokens_revoke_all(user_id=instance.user_id)
