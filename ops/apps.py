from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal in production: health endpoints, error pages, request limits, logs."""

    name = "ops"
    verbose_name = "Exploitation"
