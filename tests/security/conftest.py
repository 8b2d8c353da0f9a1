import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests sign in many times: hash test passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
