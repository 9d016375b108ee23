"""What bench/load and bench/faults ask for, read from the demo database (JSON on stdout):
sample URLs of every public page kind, and a staff account with what its sheet form needs."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from actions.models import Action, Public, Theme  # noqa: E402
from federations.enums import MembershipRole  # noqa: E402
from federations.models import Department, Federation, Membership  # noqa: E402

STAFF_USERNAME = "bench-staff"
STAFF_PASSWORD = "bench-staff-password"

published = Action.objects.published()
federation = Federation.objects.filter(structures__isnull=False).order_by("pk").first()
staff, _ = get_user_model().objects.get_or_create(username=STAFF_USERNAME)
staff.set_password(STAFF_PASSWORD)
staff.save()
Membership.objects.get_or_create(user=staff, federation=federation, role=MembershipRole.STAFF)

themes = list(Theme.objects.order_by("pk").values_list("slug", flat=True))
departments = list(Department.objects.order_by("code").values_list("code", flat=True)[:20])
json.dump(
    {
        "sheets": [f"/actions/{slug}/" for slug in published.values_list("slug", flat=True)[:500]],
        "themes": [f"/actions/?theme={slug}" for slug in themes],
        "departments": [f"/departements/{code}/" for code in departments],
        "searches": [f"/actions/?q={q}" for q in ("séjour familles", "jardin", "numérique")],
        "pages": ["/", "/actions/", "/themes/", "/departements/", "/federations/"],
        "staff": {
            "username": STAFF_USERNAME,
            "password": STAFF_PASSWORD,
            "structure": federation.structures.order_by("pk").first().pk,
            "theme": Theme.objects.order_by("pk").first().pk,
            "public": Public.objects.order_by("pk").first().pk,
        },
    },
    sys.stdout,
)
