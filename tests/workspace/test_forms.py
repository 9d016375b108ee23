"""The sheet form: drafts, submission, validation in French, lines, history, input safety."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.enums import PartnerRole, PublicationStatus
from actions.models import Action, ModerationEvent, Partner
from actions.services.publication import reject_action
from tests.actions.factories import FundingFactory, PartnerFactory, theme
from tests.workspace.conftest import reload, sheet_data, with_lines, world_of_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
world = world_of_the_module()

CREATE = "workspace:action_create"


def edit_url(action):
    return reverse("workspace:action_update", args=[action.pk])


class TestDrafts:
    def test_a_draft_needs_only_a_title_and_a_structure(self, staff_client, world):
        data = sheet_data(
            structure=world.structure_a1.pk,
            title="Jardin partagé",
            summary="",
            description="",
            themes=[],
            publics=[],
        )
        response = staff_client.post(reverse(CREATE), data)
        action = Action.objects.get(title="Jardin partagé")
        assert response.status_code == 302
        assert response["Location"] == edit_url(action)
        assert action.publication_status == PublicationStatus.DRAFT
        assert action.created_by == world.staff_a
        assert action.updated_by == world.staff_a
        assert action.version == 1
        assert action.slug == "jardin-partage"
        [record] = action.history.all()
        assert (record.history_type, record.history_user) == ("+", world.staff_a)

    def test_saving_a_draft_keeps_it_a_draft_and_bumps_the_version(self, staff_client, world):
        sheet = world.sheet_a1
        response = staff_client.post(edit_url(sheet), sheet_data(sheet, title="Titre revu"))
        assert response.status_code == 302
        sheet = reload(sheet)
        assert sheet.title == "Titre revu"
        assert sheet.publication_status == PublicationStatus.DRAFT
        assert sheet.version == 2
        assert sheet.slug == world.sheet_a1.slug, "public URLs stay stable"

    def test_title_structure_and_status_are_required_with_french_messages(
        self, staff_client, world
    ):
        data = sheet_data(title="  ", status="")
        response = staff_client.post(reverse(CREATE), data)
        errors = response.context["form"].errors
        assert errors["title"] == ["Ce champ est obligatoire."]
        assert errors["structure"] == ["Ce champ est obligatoire."]
        assert errors["status"] == ["Ce champ est obligatoire."]
        assert not Action.objects.filter(structure__federation=world.federation_a).exclude(
            pk__in=[world.sheet_a1.pk, world.sheet_a2.pk]
        )


class TestSubmission:
    def test_submitting_a_complete_sheet_sends_it_to_moderation(self, staff_client, world):
        data = sheet_data(structure=world.structure_a1.pk, submit="1")
        response = staff_client.post(reverse(CREATE), data)
        action = Action.objects.get(title="Séjour familles à la mer")
        assert response.status_code == 302
        assert response["Location"] == reverse("workspace:dashboard")
        assert action.publication_status == PublicationStatus.SUBMITTED
        assert action.submitted_by == world.staff_a
        assert action.submitted_at is not None
        event = ModerationEvent.objects.get(action=action)
        assert (event.from_status, event.to_status) == ("draft", "submitted")
        assert event.actor == world.staff_a

    def test_missing_sections_are_listed_as_field_errors_and_nothing_typed_is_lost(
        self, staff_client, world
    ):
        data = sheet_data(
            structure=world.structure_a1.pk,
            title="Atelier cuisine du monde",
            summary="",
            description="   ",
            themes=[],
            publics=[],
            experience="Tous les mardis, avec les habitantes du quartier.",
            submit="1",
        )
        response = staff_client.post(reverse(CREATE), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        message = "Section obligatoire pour soumettre la fiche à la modération."
        for name in ("themes", "publics", "summary", "description"):
            assert errors[name] == [message], name
        assert set(errors) == {"themes", "publics", "summary", "description"}
        assert not Action.objects.filter(title="Atelier cuisine du monde").exists()
        self.assert_typed_values_are_shown(response)

    @staticmethod
    def assert_typed_values_are_shown(response):
        content = response.content.decode()
        assert 'value="Atelier cuisine du monde"' in content
        assert "Tous les mardis, avec les habitantes du quartier." in content
        assert "pas été enregistrée : corrigez les points suivants" in content

    def test_a_refused_sheet_shows_the_reason_and_can_be_submitted_again(self, staff_client, world):
        sheet = world.sheet_a1
        Action.objects.filter(pk=sheet.pk).update(publication_status=PublicationStatus.SUBMITTED)
        reject_action(
            action=reload(sheet),
            user=world.moderator,
            reason="Budget à préciser.",
            reviewed_version=reload(sheet).version,
        )
        page = staff_client.get(edit_url(sheet))
        assert "Budget à préciser." in page.content.decode()
        response = staff_client.post(edit_url(sheet), sheet_data(reload(sheet), submit="1"))
        assert response.status_code == 302
        sheet = reload(sheet)
        assert sheet.publication_status == PublicationStatus.SUBMITTED
        assert sheet.rejection_reason == ""

    def test_a_published_sheet_cannot_be_submitted_again(self, client, world):
        client.force_login(world.staff_b)
        sheet = world.sheet_b1_published
        page = client.get(edit_url(sheet))
        assert 'name="submit"' not in page.content.decode()
        response = client.post(
            edit_url(sheet), sheet_data(sheet, summary="Autre résumé", submit="1")
        )
        assert response.status_code == 200
        assert "Seul un brouillon ou une fiche refusée peut être soumis." in (
            response.content.decode()
        )
        sheet = reload(sheet)
        assert sheet.summary != "Autre résumé", "the failed submission rolled the save back"
        assert sheet.publication_status == PublicationStatus.PUBLISHED


class TestPublishedSheets:
    def test_editing_a_published_sheet_keeps_it_published_and_flags_it(self, client, world):
        client.force_login(world.staff_b)
        sheet = world.sheet_b1_published
        response = client.post(edit_url(sheet), sheet_data(sheet, summary="Résumé enrichi."))
        assert response.status_code == 302
        sheet = reload(sheet)
        assert sheet.publication_status == PublicationStatus.PUBLISHED
        assert sheet.modified_since_publication is True
        assert sheet.published_at is not None
        assert sheet.updated_by == world.staff_b

    def test_the_change_is_recorded_with_who_when_and_what(self, client, world):
        client.force_login(world.staff_b)
        sheet = world.sheet_b1_published
        data = sheet_data(sheet, summary="Résumé enrichi.", themes=[theme("sante").pk])
        client.post(edit_url(sheet), data)
        record = reload(sheet).history.first()
        assert record.history_user == world.staff_b
        previous = record.prev_record
        changed = set(record.diff_against(previous).changed_fields)
        assert {"summary", "themes", "modified_since_publication"} <= changed
        page = client.get(edit_url(sheet)).content.decode()
        assert "Dernières modifications" in page
        assert "résumé, mots clés" in page


class TestStatusAndEndReason:
    def test_a_finished_action_needs_an_end_reason(self, staff_client, world):
        data = sheet_data(structure=world.structure_a1.pk, status="finished", end_reason="")
        response = staff_client.post(reverse(CREATE), data)
        assert response.context["form"].errors["end_reason"] == [
            "Indiquez pourquoi l'action est terminée."
        ]

    def test_an_ongoing_action_cannot_carry_an_end_reason(self, staff_client, world):
        data = sheet_data(
            structure=world.structure_a1.pk, status="ongoing", end_reason="Plus de budget"
        )
        response = staff_client.post(reverse(CREATE), data)
        errors = response.context["form"].errors
        assert list(errors) == ["end_reason"]
        assert "Une action en cours n'a pas de raison de fin" in errors["end_reason"][0]

    def test_a_finished_action_with_its_reason_is_saved(self, staff_client, world):
        data = sheet_data(
            structure=world.structure_a1.pk, status="finished", end_reason="Fin du financement"
        )
        assert staff_client.post(reverse(CREATE), data).status_code == 302
        action = Action.objects.get(title="Séjour familles à la mer")
        assert (action.status, action.end_reason) == ("finished", "Fin du financement")


@pytest.mark.db_sensitive  # partners matched by name__iexact, decimal amounts stored
class TestLines:
    def test_funders_are_chosen_or_created_with_amount_and_year(self, staff_client, world):
        caf = PartnerFactory(caf=True)
        data = with_lines(
            sheet_data(structure=world.structure_a1.pk),
            "financements",
            [
                {"funder_name": caf.name, "amount": "2500", "year": "2024"},
                {"funder_name": "Fondation de France", "amount": "1200.50", "year": ""},
            ],
        )
        assert staff_client.post(reverse(CREATE), data).status_code == 302
        action = Action.objects.get(title="Séjour familles à la mer")
        lines = {(f.funder.name, f.amount, f.year) for f in action.fundings.all()}
        assert lines == {
            ("Caf", Decimal("2500.00"), 2024),
            ("Fondation de France", Decimal("1200.50"), None),
        }
        assert Partner.objects.get(name="Fondation de France").slug == "fondation-de-france"

    def test_a_typed_funder_matching_an_existing_partner_reuses_it(self, staff_client, world):
        PartnerFactory(name="Conseil départemental", slug="conseil-departemental")
        data = with_lines(
            sheet_data(structure=world.structure_a1.pk),
            "financements",
            [{"funder_name": "  conseil  DÉPARTEMENTAL ", "amount": "100"}],
        )
        assert staff_client.post(reverse(CREATE), data).status_code == 302
        assert Partner.objects.filter(slug__startswith="conseil-departemental").count() == 1

    @pytest.mark.parametrize(
        ("line", "field", "message"),
        [
            ({"amount": "100"}, "funder_name", "Saisissez le nom du financeur."),
            ({"funder_name": "Caf", "amount": "-5"}, "amount", "supérieure ou égale à 0"),
            ({"funder_name": "Caf", "amount": "beaucoup"}, "amount", "Saisissez un nombre."),
            ({"funder_name": "Caf", "amount": "10", "year": "1850"}, "year", "1950"),
        ],
    )
    def test_invalid_funding_lines_are_refused_with_a_message(
        self, staff_client, world, line, field, message
    ):
        data = with_lines(sheet_data(structure=world.structure_a1.pk), "financements", [line])
        response = staff_client.post(reverse(CREATE), data)
        assert response.status_code == 200
        errors = response.context["funding_formset"].errors[0]
        assert message in " ".join(errors[field])
        assert not Action.objects.filter(title="Séjour familles à la mer").exists()

    def test_partners_keep_their_role_and_duplicates_are_refused(self, staff_client, world):
        caf = PartnerFactory(caf=True)
        data = with_lines(
            sheet_data(structure=world.structure_a1.pk),
            "partenaires",
            [
                {"partner_name": caf.name, "role": PartnerRole.FINANCIAL},
                {"partner_name": "Médiathèque municipale", "role": PartnerRole.ACTION},
            ],
        )
        assert staff_client.post(reverse(CREATE), data).status_code == 302
        action = Action.objects.get(title="Séjour familles à la mer")
        assert {(link.partner.name, link.role) for link in action.partner_links.all()} == {
            ("Caf", "financial"),
            ("Médiathèque municipale", "action"),
        }
        duplicate = with_lines(
            sheet_data(structure=world.structure_a1.pk, title="Autre"),
            "partenaires",
            [
                {"partner_name": caf.name, "role": "action"},
                {"partner_name": "caf", "role": "action"},
            ],
        )
        response = staff_client.post(reverse(CREATE), duplicate)
        assert response.context["partner_formset"].non_form_errors() == [
            "Le même partenaire figure deux fois avec le même rôle."
        ]

    def test_existing_lines_can_be_changed_and_removed(self, staff_client, world):
        sheet = world.sheet_a1
        kept, removed = FundingFactory(action=sheet, amount=100), FundingFactory(action=sheet)
        data = sheet_data(sheet)
        index = {data[f"financements-{i}-id"]: i for i in range(2)}
        data[f"financements-{index[kept.pk]}-amount"] = "150"
        data[f"financements-{index[removed.pk]}-DELETE"] = "on"
        assert staff_client.post(edit_url(sheet), data).status_code == 302
        assert [(f.pk, f.amount) for f in sheet.fundings.all()] == [(kept.pk, Decimal("150"))]
        note = reload(sheet).history.first().history_change_reason
        assert note == "financements : 1 modifié(s), 1 retiré(s)"


class TestInputSafety:
    def test_posts_without_a_csrf_token_are_refused(self, world):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.staff_a)
        response = client.post(reverse(CREATE), sheet_data(structure=world.structure_a1.pk))
        assert response.status_code == 403
        assert not Action.objects.filter(title="Séjour familles à la mer").exists()

    def test_the_form_carries_a_csrf_token(self, staff_client):
        assert 'name="csrfmiddlewaretoken"' in staff_client.get(reverse(CREATE)).content.decode()

    def test_what_users_type_is_escaped_when_displayed(self, staff_client, world):
        title = '<script>alert("x")</script> Fête'
        data = sheet_data(structure=world.structure_a1.pk, title=title)
        staff_client.post(reverse(CREATE), data)
        action = Action.objects.get(title=title)
        for url in (reverse("workspace:dashboard"), edit_url(action)):
            content = staff_client.get(url).content.decode()
            assert "<script>alert" not in content
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Fête" in content

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("status", "archived", "Sélectionnez un choix valide"),
            ("themes", ["999999"], "Sélectionnez un choix valide"),
            ("structure", "pas-un-nombre", "Sélectionnez un choix valide"),
            ("year", "3000", "inférieure ou égale à 2100"),
            ("total_budget", "-1", "supérieure ou égale à 0"),
        ],
    )
    def test_unexpected_values_are_refused_with_a_clear_message(
        self, staff_client, world, field, value, message
    ):
        data = sheet_data(**{"structure": world.structure_a1.pk, field: value})
        response = staff_client.post(reverse(CREATE), data)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])

    def test_a_tampered_version_is_refused(self, staff_client, world):
        sheet = world.sheet_a1
        response = staff_client.post(edit_url(sheet), sheet_data(sheet, version="abc"))
        assert response.status_code == 200
        assert response.context["form"].errors["version"] == [
            "Version de la fiche illisible : rechargez la page."
        ]
        assert "Version de la fiche illisible" in response.content.decode()
        assert reload(sheet).version == 1

    def test_a_tampered_formset_is_refused(self, staff_client, world):
        data = sheet_data(structure=world.structure_a1.pk)
        del data["financements-TOTAL_FORMS"]
        response = staff_client.post(reverse(CREATE), data)
        assert response.status_code == 200
        assert response.context["funding_formset"].non_form_errors()
        assert not Action.objects.filter(title="Séjour familles à la mer").exists()

    def test_other_methods_are_not_allowed(self, staff_client, world):
        assert staff_client.put(edit_url(world.sheet_a1)).status_code == 405
        assert staff_client.delete(edit_url(world.sheet_a1)).status_code == 405


class TestCompleteness:
    def test_the_edit_page_shows_the_saved_completeness_and_empty_sections(
        self, staff_client, world
    ):
        sheet = world.sheet_a1
        response = staff_client.get(edit_url(sheet))
        assert response.context["completeness"] == sheet.completeness()
        empty = {section.field for section in response.context["empty_sections"]}
        assert {"dimension", "initiatives", "partners", "limits"} <= empty
        assert "summary" not in empty
        assert f"{sheet.completeness()} %" in response.content.decode()

    def test_a_funding_line_fills_the_financial_resources(self, staff_client, world):
        sheet = reload(world.sheet_a1)
        sheet.financial_resources = ""
        sheet.total_budget = None
        sheet.save()
        before = staff_client.get(edit_url(sheet)).context
        assert "financial_resources" in {s.field for s in before["empty_sections"]}
        FundingFactory(action=sheet, funder=PartnerFactory(caf=True))
        after = staff_client.get(edit_url(sheet)).context
        assert "financial_resources" not in {s.field for s in after["empty_sections"]}
        assert after["completeness"] > before["completeness"]
        assert after["completeness"] == reload(sheet).completeness()

    def test_the_note_under_the_buttons_lists_the_sections_required_to_submit(
        self, staff_client, world
    ):
        html = staff_client.get(reverse(CREATE)).content.decode()
        assert (
            "il faut que ces sections soient remplies : Titre, Structure organisatrice, "
            "Statut de l&#x27;action, Mots clés associés à l&#x27;action, Résumé, Public, "
            "Description générale."
        ) in html
