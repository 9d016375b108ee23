"""Concurrent writers of one sheet, through a real HTTP server: what is lost, duplicated, broken.

Run by ``bench/concurrency`` against a multi-threaded server on 127.0.0.1 and a PostgreSQL
database; it can also be run alone against any such server and its database:

    DATABASE_URL=postgres://... .venv/bin/python bench/concurrency.py \
        --base-url http://127.0.0.1:8000 --rounds 50

Every request is a real HTTP request: pages are fetched, their forms serialised as a browser
would (hidden inputs included), one field changed, and the two posts of a round are released
together by a barrier, each from its own thread and connection. The database is only read by
this script, to check the outcome of each round, and written only to create the accounts (users,
federations, structures, memberships: never a sheet, which are created through the workspace).

Scenarios, each repeated ``--rounds`` times on a fresh sheet:

- ``admin_vs_admin``: two moderators save the same sheet in the admin change form;
- ``admin_vs_workspace``: a moderator (admin) and a contributor (workspace) save it at once;
- ``double_submit``: a contributor posts the same new-sheet form twice at once (double click);
- ``same_title``: two contributors of two federations create a sheet with the same title;
- ``new_partner``: two contributors add the same new partner name, each to their own sheet;
- ``stale_publish``: a moderator lists a submitted sheet, the contributor then changes it, and
  the moderator publishes the selection;
- ``publish_during_save``: the same, the publication and the save posted at once.

A round counts a **lost update** when a save reported success (a redirect) but its text is not
what the database holds, an **unreviewed publication** when the published text is not the one
the moderator's page showed and the sheet is not flagged for moderation, a **duplicate** for
every extra sheet or partner created, and every 5xx response.
"""

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from actions.models import Action, Partner  # noqa: E402
from federations.enums import MembershipRole  # noqa: E402
from federations.models import Department, Federation, Membership, Structure  # noqa: E402
from federations.perms import MODERATORS_GROUP  # noqa: E402
from federations.text import normalize  # noqa: E402

PASSWORD = "banc-concurrence-2026"
LOGIN = "/comptes/connexion/"
CREATE = "/espace/actions/nouvelle/"
CHANGELIST = "/admin/actions/action/"
SCENARIOS = (
    "admin_vs_admin",
    "admin_vs_workspace",
    "double_submit",
    "same_title",
    "new_partner",
    "stale_publish",
    "publish_during_save",
)


# -- a browser's forms, without a browser -------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form> of a page with its successful controls, as a browser would submit them
    (no submit button; checkboxes and radios only when checked; the selected options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._form["fields"].append(
                [name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")]
            )
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append([attrs.get("value"), "selected" in attrs, ""])
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._select is not None and self._select["options"]:
            self._select["options"][-1][2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o[1]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for value, _selected, text in chosen:
                self._form["fields"].append(
                    [self._select["name"], text.strip() if value is None else value]
                )
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the newline that follows <textarea>.
            self._form["fields"].append([name, text[1:] if text.startswith("\n") else text])
            self._textarea = None


@dataclass
class Form:
    action: str
    fields: list[list[str]]

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def set(self, name: str, value) -> None:
        self.fields = [pair for pair in self.fields if pair[0] != name]
        self.fields.append([name, str(value)])

    def add(self, name: str, value) -> None:
        self.fields.append([name, str(value)])

    def encode(self) -> str:
        return urlencode([(key, value) for key, value in self.fields])


def find_form(html: str, url: str, predicate) -> Form:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if predicate(form["attrs"], form["fields"]):
            return Form(form["attrs"].get("action") or url, [list(p) for p in form["fields"]])
    raise AssertionError(f"no such form on {url}")


# -- a browser's session -------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    body: str


class Browser:
    """One person's cookies; a new connection per request (as two tabs would)."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read().decode("utf-8", "replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return Response(raw.status, raw.getheader("Location") or "", content)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        response = self.request("GET", path)
        if response.status != 200:
            raise AssertionError(f"GET {path}: {response.status}")
        return response

    def post(self, form: Form) -> Response:
        return self.request("POST", form.action, form.encode())

    def login(self, username: str) -> None:
        page = self.get(LOGIN)
        form = find_form(
            page.body, LOGIN, lambda _, fields: any(k == "password" for k, _v in fields)
        )
        form.set("username", username)
        form.set("password", PASSWORD)
        response = self.post(form)
        if response.status != 302:
            raise AssertionError(f"login of {username} refused ({response.status})")


def admin_change_form(browser: Browser, pk: int) -> Form:
    url = f"{CHANGELIST}{pk}/change/"
    form = find_form(browser.get(url).body, url, lambda attrs, _: attrs.get("id") == "action_form")
    form.set("_save", "Enregistrer")
    return form


def workspace_form(browser: Browser, url: str) -> Form:
    return find_form(browser.get(url).body, url, lambda attrs, _: "data-action-form" in attrs)


def changelist_publish_form(browser: Browser, pk: int) -> Form:
    """The changelist as the moderator sees it, with the row of ``pk`` ticked and "Publier"
    chosen (whatever else the page carries, such as versions, is posted as it is)."""
    form = find_form(
        browser.get(CHANGELIST).body,
        CHANGELIST,
        lambda attrs, _: attrs.get("id") == "changelist-form",
    )
    form.set("action", "publish_selected")
    form.set("index", "0")
    form.add("_selected_action", pk)
    return form


def together(*calls):
    """Run the calls at the same instant, each in its own thread; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=60)
        try:
            results[index] = call()
        except Exception as error:  # a dropped connection is reported like a server error
            results[index] = Response(599, "", repr(error))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


# -- accounts and sheets ---------------------------------------------------------------------------


@dataclass
class People:
    moderators: tuple[Browser, Browser]
    staff_a: Browser
    staff_b: Browser
    structure_a: Structure
    structure_b: Structure


def accounts(base_url: str, tag: str) -> People:
    users = get_user_model()
    group = Group.objects.get(name=MODERATORS_GROUP)
    department = Department.objects.order_by("code").first()
    structures = []
    for letter in "ab":
        federation = Federation.objects.create(
            name=f"Fédération du banc {tag} {letter}", slug=f"banc-{tag}-{letter}"
        )
        structures.append(
            Structure.objects.create(
                name=f"Centre social du banc {tag} {letter}",
                slug=f"centre-social-banc-{tag}-{letter}",
                department=department,
                federation=federation,
                commune="Banc",
            )
        )
    names = {}
    for key in ("mod1", "mod2", "staff_a", "staff_b"):
        user = users.objects.create_user(
            username=f"banc-{tag}-{key}", password=PASSWORD, first_name=key, last_name="Banc"
        )
        if key.startswith("mod"):
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
        else:
            structure = structures[0] if key == "staff_a" else structures[1]
            Membership.objects.create(
                user=user, federation=structure.federation, role=MembershipRole.STAFF
            )
        names[key] = user.username
    browsers = {}
    for key, username in names.items():
        browsers[key] = Browser(base_url)
        browsers[key].login(username)
    return People(
        moderators=(browsers["mod1"], browsers["mod2"]),
        staff_a=browsers["staff_a"],
        staff_b=browsers["staff_b"],
        structure_a=structures[0],
        structure_b=structures[1],
    )


def new_sheet_form(browser: Browser, structure: Structure, title: str) -> Form:
    form = workspace_form(browser, CREATE)
    form.set("title", title)
    form.set("structure", structure.pk)
    form.set("status", "ongoing")
    form.set("summary", f"Résumé de « {title} ».")
    form.set("description", "Une action du banc d'essai de concurrence.")
    form.set("create_anyway", "on")
    themes = find_choice(browser, "themes")
    publics = find_choice(browser, "publics")
    form.set("themes", themes)
    form.set("publics", publics)
    return form


_choices: dict[str, str] = {}


def find_choice(browser: Browser, name: str) -> str:
    """The first checkbox value of ``name`` on the creation page (a theme, a public)."""
    if name not in _choices:
        body = browser.get(CREATE).body
        match = re.search(rf'<input[^>]*type="checkbox"[^>]*name="{name}"[^>]*value="(\d+)"', body)
        if match is None:
            match = re.search(rf'<input[^>]*name="{name}"[^>]*value="(\d+)"', body)
        _choices[name] = match.group(1)
    return _choices[name]


def create_sheet(browser: Browser, structure: Structure, title: str, *, submit=False) -> Action:
    form = new_sheet_form(browser, structure, title)
    if submit:
        form.set("submit", "1")
    response = browser.post(form)
    if response.status != 302:
        raise AssertionError(f"sheet not created ({response.status}): {title}")
    return Action.objects.get(title=title)


# -- scenarios -----------------------------------------------------------------------------------


@dataclass
class Tally:
    rounds: int = 0
    one_winner: int = 0  # rounds that ended as they should
    conflicts: int = 0  # saves refused as conflicts (or publications refused as outdated)
    lost_updates: int = 0
    duplicates: int = 0
    unreviewed_publications: int = 0
    server_errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def saw(self, *responses: Response) -> None:
        for response in responses:
            key = str(response.status)
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if response.status >= 500:
                self.server_errors += 1


def saved_text(pk: int) -> str:
    return Action.objects.values_list("summary", flat=True).get(pk=pk)


def two_saves(tally: Tally, pk: int, forms: list[Form], browsers: list[Browser]) -> None:
    texts = [f"Résumé écrit par l'onglet {i} ({uuid.uuid4().hex[:8]})." for i in range(2)]
    for form, text in zip(forms, texts, strict=True):
        form.set("summary", text)
    responses = together(
        *(lambda b=b, f=f: b.post(f) for b, f in zip(browsers, forms, strict=True))
    )
    tally.saw(*responses)
    stored = saved_text(pk)
    succeeded = [text for text, r in zip(texts, responses, strict=True) if r.status == 302]
    refused = [r for r in responses if r.status in {200, 409}]
    tally.conflicts += len(refused)
    tally.lost_updates += sum(1 for text in succeeded if text != stored)
    if len(succeeded) == 1 and succeeded[0] == stored and len(refused) == 1:
        tally.one_winner += 1


def admin_vs_admin(people: People, tally: Tally, n: int) -> None:
    sheet = create_sheet(people.staff_a, people.structure_a, f"Banc admin contre admin {n}")
    forms = [admin_change_form(m, sheet.pk) for m in people.moderators]
    two_saves(tally, sheet.pk, forms, list(people.moderators))


def admin_vs_workspace(people: People, tally: Tally, n: int) -> None:
    sheet = create_sheet(people.staff_a, people.structure_a, f"Banc admin contre espace {n}")
    moderator = people.moderators[0]
    forms = [
        admin_change_form(moderator, sheet.pk),
        workspace_form(people.staff_a, f"/espace/actions/{sheet.pk}/modifier/"),
    ]
    two_saves(tally, sheet.pk, forms, [moderator, people.staff_a])


def double_submit(people: People, tally: Tally, n: int) -> None:
    title = f"Banc double envoi {n} {uuid.uuid4().hex[:6]}"
    form = new_sheet_form(people.staff_a, people.structure_a, title)
    responses = together(lambda: people.staff_a.post(form), lambda: people.staff_a.post(form))
    tally.saw(*responses)
    created = Action.objects.filter(title=title).count()
    tally.duplicates += max(0, created - 1)
    if created == 1 and all(r.status == 302 for r in responses):
        tally.one_winner += 1


def same_title(people: People, tally: Tally, n: int) -> None:
    title = f"Banc même titre {n} {uuid.uuid4().hex[:6]}"
    forms = [
        new_sheet_form(people.staff_a, people.structure_a, title),
        new_sheet_form(people.staff_b, people.structure_b, title),
    ]
    responses = together(
        lambda: people.staff_a.post(forms[0]), lambda: people.staff_b.post(forms[1])
    )
    tally.saw(*responses)
    slugs = set(Action.objects.filter(title=title).values_list("slug", flat=True))
    if len(slugs) == 2 and all(r.status == 302 for r in responses):
        tally.one_winner += 1


def new_partner(people: People, tally: Tally, n: int) -> None:
    name = f"Mécène du banc {n} {uuid.uuid4().hex[:6]}"
    sheets = [
        create_sheet(people.staff_a, people.structure_a, f"Banc partenaire A {n}"),
        create_sheet(people.staff_b, people.structure_b, f"Banc partenaire B {n}"),
    ]
    browsers = [people.staff_a, people.staff_b]
    forms = []
    for browser, sheet in zip(browsers, sheets, strict=True):
        form = workspace_form(browser, f"/espace/actions/{sheet.pk}/modifier/")
        form.set("partenaires-0-partner_name", name)
        forms.append(form)
    responses = together(
        *(lambda b=b, f=f: b.post(f) for b, f in zip(browsers, forms, strict=True))
    )
    tally.saw(*responses)
    key = normalize(name)
    partners = [
        p for p in Partner.objects.filter(name__icontains="banc") if normalize(p.name) == key
    ]
    tally.duplicates += max(0, len(partners) - 1)
    linked = sum(1 for sheet in sheets if sheet.partner_links.filter(partner__in=partners).exists())
    if len(partners) == 1 and linked == 2 and all(r.status == 302 for r in responses):
        tally.one_winner += 1


def _publish_round(people: People, tally: Tally, n: int, *, concurrent: bool) -> None:
    label = "pendant" if concurrent else "après"
    sheet = create_sheet(
        people.staff_a, people.structure_a, f"Banc publication {label} {n}", submit=True
    )
    moderator = people.moderators[0]
    reviewed = saved_text(sheet.pk)
    publish = changelist_publish_form(moderator, sheet.pk)
    edit = workspace_form(people.staff_a, f"/espace/actions/{sheet.pk}/modifier/")
    edit.set("summary", f"Changé après la lecture de la modération ({uuid.uuid4().hex[:8]}).")
    if concurrent:
        responses = together(lambda: people.staff_a.post(edit), lambda: moderator.post(publish))
    else:
        responses = [people.staff_a.post(edit)]
        responses.append(moderator.post(publish))
    tally.saw(*responses)
    saved = responses[0]
    state = Action.objects.values(
        "publication_status", "modified_since_publication", "summary"
    ).get(pk=sheet.pk)
    if saved.status == 302 and state["summary"] != edit.get("summary"):
        tally.lost_updates += 1
    if state["publication_status"] == "published":
        if state["summary"] != reviewed and not state["modified_since_publication"]:
            tally.unreviewed_publications += 1
        else:
            tally.one_winner += 1
    elif _has_review_flag() and Action.objects.filter(pk=sheet.pk, modified_during_review=True):
        tally.conflicts += 1
        tally.one_winner += 1


def _has_review_flag() -> bool:
    return any(f.name == "modified_during_review" for f in Action._meta.get_fields())


def stale_publish(people: People, tally: Tally, n: int) -> None:
    _publish_round(people, tally, n, concurrent=False)


def publish_during_save(people: People, tally: Tally, n: int) -> None:
    _publish_round(people, tally, n, concurrent=True)


# -- the run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--only", action="append", choices=SCENARIOS)
    parser.add_argument("--label", default="", help="named in the report (e.g. before, after)")
    args = parser.parse_args()

    tag = uuid.uuid4().hex[:6]
    people = accounts(args.base_url, tag)
    scenarios = args.only or list(SCENARIOS)
    tallies = {name: Tally() for name in scenarios}
    started = time.perf_counter()
    for n in range(1, args.rounds + 1):
        for name in scenarios:
            globals()[name](people, tallies[name], n)
            tallies[name].rounds += 1
        if n % 10 == 0:
            print(f"  round {n}/{args.rounds} ({time.perf_counter() - started:.0f} s)", flush=True)

    header = (
        "| scenario | rounds | as expected | refused (conflict) | lost updates | duplicates "
        "| unreviewed publications | 5xx | statuses |"
    )
    lines = [header, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, t in tallies.items():
        statuses = ", ".join(f"{k}×{v}" for k, v in sorted(t.statuses.items()))
        lines.append(
            f"| {name} | {t.rounds} | {t.one_winner} | {t.conflicts} | {t.lost_updates} "
            f"| {t.duplicates} | {t.unreviewed_publications} | {t.server_errors} | {statuses} |"
        )
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    name = f"concurrency-{stamp}{'-' + args.label if args.label else ''}"
    (RESULTS / f"{name}.md").write_text(table + "\n")
    (RESULTS / f"{name}.json").write_text(
        json.dumps({name: asdict(t) for name, t in tallies.items()}, indent=2)
    )
    print(f"==> {RESULTS / name}.md")


if __name__ == "__main__":
    main()
