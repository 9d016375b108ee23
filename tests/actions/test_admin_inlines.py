"""The admin's inline lines are bounded, whatever TOTAL_FORMS a request claims."""

import pytest
from django.contrib import admin

from actions.admin import BoundedInline
from actions.models import Action
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_a_huge_total_forms_builds_no_more_inline_lines_than_max_num(admin_client, admin_user, rf):
    action = ActionFactory()
    url = f"/admin/actions/action/{action.pk}/change/"
    page = admin_client.get(url)
    prefixes = [formset.formset.prefix for formset in page.context["inline_admin_formsets"]]
    data = {"title": action.title}
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": "100000", f"{prefix}-INITIAL_FORMS": "0"})

    # The admin's view itself, its response not rendered: the claim is on the forms built,
    # and the page of the refused post would render each of them (hundreds of lines).
    request = rf.post(url, data)
    request.user = admin_user
    request._dont_enforce_csrf_checks = True
    response = admin.site.get_model_admin(Action).change_view(request, str(action.pk))

    assert response.status_code == 200
    formsets = [inline.formset for inline in response.context_data["inline_admin_formsets"]]
    assert formsets
    for formset in formsets:
        assert len(formset.forms) <= BoundedInline.max_num
        assert formset.non_form_errors()
