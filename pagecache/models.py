from django.db import models


class CatalogueVersion(models.Model):
    """The one row that says which state of the public data the pages show. The database
    moves it (``number`` + 1, ``changed_at``) when a transaction that wrote any table of the
    source apps commits (``pagecache/triggers.py``): a key built on it can never be served
    after a write, whoever wrote and however (services, admin, importer, raw SQL)."""

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "version du catalogue"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="pagecache_one_catalogue_version",
                violation_error_message="Il n'y a qu'une version du catalogue.",
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
