"""The public page of an action sheet (/actions/<slug>/)."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from actions.enums import PartnerRole
from actions.models import Action
from actions.sections import SECTIONS
from tests.actions.factories import (
    ActionFactory,
    ActionPartnerFactory,
    FundingFactory,
    PartnerFactory,
    build_catalogue,
    dimension,
    initiative,
    public,
    territory,
    theme,
)
from tests.federations.factories import FederationFactory, StructureFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


@pytest.fixture
def sheet():
    federation = FederationFactory(name="Fédération du Val-de-Marne", slug="fd-94")
    structure = StructureFactory(
        name="La Plaine",
        slug="la-plaine",
        commune="Cachan",
        department=department("94"),
        federation=federation,
        evs=True,
    )
    action = ActionFactory(
        title="Séjour collectif famille senior",
        slug="sejour-collectif",
        structure=structure,
        published=True,
        finished=True,
        end_reason="Le bailleur a repris la salle.",
        dimension=dimension("citoyennete"),
        territory_scale=territory("une-commune"),
        summary="Une semaine à la mer pour des familles et des seniors.",
        experience="Des habitants ont porté le projet.",
        description="Une équipe de bénévoles.",
        financial_resources="Aide aux séjours Caf : 3000",
        people_mobilised="2 salariés, 5 bénévoles",
        result_territory="",
        result_centre="De nouveaux adhérents.",
        result_residents="",
        limits="",
        perspectives="Recommencer.",
        themes=[theme("vacances-loisirs"), theme("intergenerationnel")],
        publics=[public("familles"), public("seniors")],
    )
    action.initiatives.set([initiative("un-groupe-dhabitants")])
    caf = PartnerFactory(caf=True)
    FundingFactory(action=action, funder=caf, amount=Decimal("3000"))
    FundingFactory(
        action=action,
        funder=PartnerFactory(name="Ville de Cachan", slug="ville-de-cachan"),
        amount=Decimal("1250.50"),
    )
    ActionPartnerFactory(action=action, partner=PartnerFactory(name="ANCV", slug="ancv"))
    ActionPartnerFactory(action=action, partner=caf, role=PartnerRole.FINANCIAL)
    return action


def page(client, action):
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    return response, response.content.decode()


class TestSections:
    def test_sections_appear_with_their_headings_in_the_published_order(self, client, sheet):
        response, html = page(client, sheet)
        shown = [section.field for section in response.context["sections"]]
        published_order = [section.field for section in SECTIONS]
        assert shown == [field for field in published_order if field in shown]
        positions = [html.index(f'id="section-{field}"') for field in shown]
        assert positions == sorted(positions)
        assert ">" + escape("Mots clés associés à l'action") + "</h2>" in html
        assert ">" + escape("Suite de l'action : perspectives") + "</h2>" in html

    def test_empty_sections_are_left_out(self, client, sheet):
        response, html = page(client, sheet)
        shown = {section.field for section in response.context["sections"]}
        assert {"result_territory", "result_residents", "limits", "attachments"} & shown == set()
        assert "Résultat sur le territoire" not in html
        assert escape("Suite de l'action : limites") not in html
        assert {"summary", "end_reason", "result_centre", "perspectives"} <= shown

    def test_title_is_the_page_heading_and_the_page_title(self, client, sheet):
        _, html = page(client, sheet)
        assert '<h1 id="titre-fiche">Séjour collectif famille senior</h1>' in html
        assert "<title>Séjour collectif famille senior · Catalogue des actions" in html

    def test_structure_card_gives_kind_commune_departement_and_federation(self, client, sheet):
        _, html = page(client, sheet)
        assert 'href="/structures/la-plaine/">La Plaine</a>' in html
        assert "Espace de vie sociale" in html
        assert "Cachan" in html
        assert 'href="/departements/94/">Val-de-Marne (94)</a>' in html
        assert 'href="/federations/fd-94/">Fédération du Val-de-Marne</a>' in html

    def test_themes_publics_and_vocabularies_link_to_the_filtered_catalogue(self, client, sheet):
        _, html = page(client, sheet)
        assert 'href="/actions/?theme=vacances-loisirs">Vacances / loisirs</a>' in html
        assert 'href="/actions/?public=seniors">Seniors</a>' in html
        assert 'href="/actions/?dimension=citoyennete">Citoyenneté</a>' in html
        assert 'href="/actions/?initiative=un-groupe-dhabitants">' in html
        assert 'href="/actions/?territoire=une-commune">Une commune</a>' in html

    def test_partners_are_grouped_by_role(self, client, sheet):
        _, html = page(client, sheet)
        action_partners = html.index(">" + escape("Partenaire d'action") + "</h3>")
        financial = html.index(">Partenaire financier</h3>")
        assert action_partners < html.index("<li>ANCV</li>") < financial
        assert 'href="/actions/?funder=caf">Caf</a>' in html[financial:]

    def test_funding_lines_are_a_table_with_their_total(self, client, sheet):
        _, html = page(client, sheet)
        assert "<caption>Financements</caption>" in html
        assert "3\u202f000 €" in html
        assert "1\u202f250,50 €" in html
        assert "4\u202f250,50 €" in html
        assert html.index("Ville de Cachan") < html.index(">Total</th>")
        assert "Aide aux séjours Caf : 3000" in html

    def test_status_and_end_reason(self, client, sheet):
        _, html = page(client, sheet)
        assert "Terminée" in html
        assert "Le bailleur a repris la salle." in html


def json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


class TestLinkPreviewsAndSearchEngines:
    def test_opengraph_properties_describe_the_sheet(self, client, sheet):
        _, html = page(client, sheet)
        url = "http://testserver/actions/sejour-collectif/"
        assert f'<link rel="canonical" href="{url}">' in html
        assert '<meta property="og:type" content="article">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta property="og:title" content="Séjour collectif famille senior">' in html
        assert (
            '<meta property="og:description" '
            'content="Une semaine à la mer pour des familles et des seniors.">'
        ) in html
        assert '<meta property="article:tag" content="Vacances / loisirs">' in html

    def test_schema_org_json_ld_names_the_structure_its_place_themes_and_publics(
        self, client, sheet
    ):
        _, html = page(client, sheet)
        data = json_ld(html)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
        assert data["headline"] == "Séjour collectif famille senior"
        assert data["url"] == "http://testserver/actions/sejour-collectif/"
        assert data["author"] == {
            "@type": "Organization",
            "name": "La Plaine",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Cachan",
                "addressRegion": "Val-de-Marne",
                "addressCountry": "FR",
            },
        }
        assert data["publisher"]["name"] == "Fédération du Val-de-Marne"
        assert data["keywords"] == ["Vacances / loisirs", "Intergénérationnel"]
        assert [a["audienceType"] for a in data["audience"]] == ["Familles", "Seniors"]

    def test_no_text_of_a_sheet_can_close_the_json_ld_script(self, client, sheet):
        Action.objects.filter(pk=sheet.pk).update(
            title="</script><script>alert(1)</script>", summary="a & b <b>"
        )
        _, html = page(client, sheet)
        assert "<script>alert(1)" not in html
        assert json_ld(html)["headline"] == "</script><script>alert(1)</script>"


class TestSimilarActions:
    def test_similar_actions_share_themes_and_prefer_the_same_departement(self, client, sheet):
        far = ActionFactory(
            title="Loin mais proche",
            published=True,
            structure=StructureFactory(department=department("13")),
            themes=[theme("vacances-loisirs"), theme("intergenerationnel")],
        )
        near = ActionFactory(
            title="Tout près",
            published=True,
            structure=StructureFactory(department=department("94")),
            themes=[theme("vacances-loisirs")],
        )
        ActionFactory(title="Autre sujet", published=True, themes=[theme("sante")])
        ActionFactory(title="Brouillon proche", themes=[theme("vacances-loisirs")])
        response, _ = page(client, sheet)
        assert list(response.context["similar"]) == [near, far]

    def test_without_shared_themes_nothing_is_suggested(self, client, sheet):
        ActionFactory(title="Autre sujet", published=True, themes=[theme("sante")])
        response, html = page(client, sheet)
        assert list(response.context["similar"]) == []
        assert "Aucune autre action publiée ne partage ses thèmes" in html


class TestOnlyPublishedSheets:
    @pytest.mark.parametrize("trait", [{}, {"submitted": True}])
    def test_a_sheet_that_is_not_published_is_not_found(self, client, trait):
        action = ActionFactory(**trait)
        assert client.get(action.get_absolute_url()).status_code == 404

    def test_a_rejected_sheet_is_not_found(self, client, sheet):
        Action.objects.filter(pk=sheet.pk).update(publication_status="rejected", published_at=None)
        assert client.get(sheet.get_absolute_url()).status_code == 404

    def test_an_unknown_slug_is_not_found(self, client):
        assert (
            client.get(reverse("catalogue:action_detail", args=["nulle-part"])).status_code == 404
        )


def test_a_sheet_costs_at_most_nine_queries_whatever_its_rows(
    client, django_assert_max_num_queries
):
    [small] = build_catalogue(1)
    with django_assert_max_num_queries(9):
        client.get(small.get_absolute_url())
    actions = build_catalogue(60, structures=[small.structure])
    big = actions[0]
    for n in range(8):
        FundingFactory(action=big, funder=PartnerFactory(), amount=n)
        ActionPartnerFactory(action=big, partner=PartnerFactory(), role=PartnerRole.FINANCIAL)
    with django_assert_max_num_queries(9):
        response = client.get(big.get_absolute_url())
    assert len(response.context["similar"]) == 4
