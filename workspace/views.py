"""Workspace pages. Every object is fetched through a queryset scoped to the user's reach,
so a sheet or structure outside it is a 404 whatever the URL (files: actions/attachments.py)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView
from django_filters.views import FilterView

from actions import sections
from actions.conflicts import differences
from actions.enums import PublicationStatus
from actions.models import Action
from actions.services.content import AlreadyCreated
from actions.services.publication import TransitionNotAllowed
from actions.services.versions import EditConflict
from federations.invitations import invitable_federations
from federations.perms import can_add_structures, is_contributor

from .filters import WorkspaceFilter
from .forms import ActionForms, PartnerSearchForm, StructureForm, action_forms
from .queries import STATUS_ORDER, partner_suggestions, recent_changes, workspace_actions
from .services import create_structure, save_action

SUBMITTABLE = {PublicationStatus.DRAFT, PublicationStatus.REJECTED}


class ContributorRequiredMixin(LoginRequiredMixin):
    """Anonymous visitors go to the login page; accounts without any federation membership
    (and not moderators) get a page explaining why they cannot enter the workspace."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_contributor(request.user):
            return render(request, "workspace/no_access.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class DashboardView(ContributorRequiredMixin, FilterView):
    """The user's sheets grouped by publication status, with completeness and last change."""

    filterset_class = WorkspaceFilter
    template_name = "workspace/dashboard.html"
    context_object_name = "actions"
    paginate_by = 50
    strict = True

    def get_queryset(self):
        return workspace_actions(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Action.objects.editable_by(self.request.user)
            .order_by()
            .values_list("publication_status")
            .annotate(n=Count("pk"))
        )
        context["status_counts"] = [
            (status, PublicationStatus(status).label, counts.get(status, 0))
            for status in STATUS_ORDER
        ]
        context["can_add_structure"] = can_add_structures(self.request.user)
        context["can_invite"] = invitable_federations(self.request.user).exists()
        return context


class ActionFormView(ContributorRequiredMixin, View):
    """Shared by creation and edition: one form laid out like the published sheet."""

    template_name = "workspace/action_form.html"
    http_method_names = ["get", "post", "head", "options"]

    def get_action(self) -> Action:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        action = self.get_action()
        return self.render_forms(action_forms(user=request.user, instance=action), saved=action)

    def post(self, request, *args, **kwargs):
        submitting = "submit" in request.POST
        forms = action_forms(
            user=request.user,
            instance=self.get_action(),
            data=request.POST,
            files=request.FILES,
            submitting=submitting,
        )
        valid = forms.is_valid()
        if forms.form.already_created is not None:
            return self.land_on(forms.form.already_created)
        if not valid:
            return self.render_forms(
                forms, saved=self.get_action(), lost_uploads=bool(request.FILES)
            )
        try:
            action = save_action(
                forms=forms,
                user=request.user,
                expected_version=forms.form.cleaned_data.get("version"),
                creation_token=forms.form.cleaned_data.get("form_token"),
                submit=submitting,
            )
        except EditConflict as conflict:
            return self.render_conflict(conflict.current)
        except AlreadyCreated as created:
            return self.land_on(created.action)
        except TransitionNotAllowed as refusal:
            messages.error(request, str(refusal))
            return self.render_forms(self.rebuild_forms(request.POST), saved=self.get_action())
        messages.success(request, self.success_message(action, submitted=submitting))
        if submitting:
            return redirect("workspace:dashboard")
        return redirect("workspace:action_update", pk=action.pk)

    def land_on(self, action: Action):
        """The same creation form posted twice (a double click): the second post goes to the
        sheet the first one created, and creates nothing."""
        messages.info(
            self.request,
            _("Ce formulaire avait déjà été envoyé : la fiche créée alors est ci-dessous."),
        )
        return redirect("workspace:action_update", pk=action.pk)

    def rebuild_forms(self, data) -> ActionForms:
        """Forms bound to what the user typed, on a fresh copy of the saved sheet."""
        forms = action_forms(
            user=self.request.user,
            instance=self.get_action(),
            data=data,
            files=self.request.FILES,
        )
        forms.is_valid()
        return forms

    def render_conflict(self, current: Action):
        """Keep what the user typed, show what the other person saved, and let the user save
        again knowingly: the form now carries the current version."""
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        forms = self.rebuild_forms(data)
        saved = self.get_action()
        conflict = {
            "current": current,
            "differences": differences(saved, forms.form),
            "lost_uploads": bool(self.request.FILES),
        }
        return self.render_forms(forms, saved=saved, conflict=conflict, status=409)

    def success_message(self, action: Action, *, submitted: bool) -> str:
        if submitted:
            return _("« %(title)s » est envoyée à la modération.") % {"title": action.title}
        if action.publication_status == PublicationStatus.PUBLISHED:
            return _(
                "Modifications enregistrées : la fiche reste publiée et sera relue par la "
                "modération."
            )
        return _("Fiche enregistrée (%(status)s).") % {
            "status": action.get_publication_status_display().lower()
        }

    def render_forms(
        self, forms: ActionForms, *, saved: Action, status=200, lost_uploads=False, **extra
    ):
        error_notes = forms.line_errors() if forms.form.is_bound else []
        if lost_uploads:
            error_notes.append(
                _(
                    "Les fichiers choisis n'ont pas été enregistrés : joignez-les de nouveau "
                    "avant d'enregistrer."
                )
            )
        context = {
            **forms.context(),
            "error_notes": error_notes,
            "action": saved if saved.pk else None,
            "similar": forms.form.similar,
            "can_submit": saved.pk is None or saved.publication_status in SUBMITTABLE,
            **extra,
        }
        if saved.pk:
            context["completeness"] = saved.completeness()
            context["empty_sections"] = sections.empty_sections(saved)
            context["history"] = recent_changes(saved)
        return render(self.request, self.template_name, context, status=status)


class ActionCreateView(ActionFormView):
    def get_action(self) -> Action:
        return Action()

    def get(self, request, *args, **kwargs):
        forms = action_forms(
            user=request.user,
            instance=self.get_action(),
            initial={"structure": request.GET.get("structure", "")},
        )
        return self.render_forms(forms, saved=forms.form.instance)


class ActionUpdateView(ActionFormView):
    def get_action(self) -> Action:
        return get_object_or_404(
            Action.objects.editable_by(self.request.user)
            .select_related("structure", "updated_by", "created_by")
            .prefetch_related(*sections.completeness_prefetch()),
            pk=self.kwargs["pk"],
        )


class StructureCreateView(ContributorRequiredMixin, CreateView):
    """Federation staff add a structure to their federation (moderators to any)."""

    form_class = StructureForm
    template_name = "workspace/structure_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_add_structures(request.user):
            return render(request, "workspace/no_access.html", {"reason": "structure"}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        structure = create_structure(form=form)
        if structure is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Structure « %(name)s » ajoutée : vous pouvez saisir ses fiches.")
            % {"name": structure.name},
        )
        return redirect(f"{reverse('workspace:action_create')}?structure={structure.pk}")


class PartnerSuggestionsView(ContributorRequiredMixin, View):
    """``{"names": [...]}``: the partners the user may see whose name contains ``q``, which
    the sheet form suggests on its partner and funder lines (static/js/workspace.js)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        form = PartnerSearchForm(request.GET)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return JsonResponse({"names": partner_suggestions(request.user, form.cleaned_data["q"])})
