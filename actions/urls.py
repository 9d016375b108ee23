from django.urls import path

from .attachments import attachment_download

app_name = "attachments"

urlpatterns = [
    # Public for files of published sheets (the sheet page links here), scoped otherwise.
    path("fichiers/<int:pk>/", attachment_download, name="download"),
]
