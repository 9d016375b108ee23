"""bench/faults: PostgreSQL stopped for a while under load, then started again.

Readers ask for public pages and writers create sheets through the workspace form (a partner
line, a funding line and a PDF each), without pause. After ``--warmup`` seconds the database is
stopped (``--stop``), ``--outage`` seconds later started again (``--start``), and the load goes
on for ``--recovery`` seconds; gunicorn is never restarted. Then it checks that:

- every request was answered (gunicorn stays up) and, during the outage, with a 503 carrying
  Retry-After, never a 500;
- pages are served again after the restart, and how long that took;
- no committed write is lost: every sheet the portal acknowledged (302) is in the database;
- nothing is half-written: every sheet found has its partner line, funding line and
  attachment, and the attachment's file is on disk with the recorded size.

Files in MEDIA_ROOT that no attachment points to are counted and reported. Exit status 1 when
a check fails. Run by ``bench/faults``, which starts the portal and passes the options.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Recorder:
    def __init__(self):
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.events = []  # (started, answered: seconds since start, kind, status, retry_after)
        self.writes = {}  # title -> status of the POST ("error" when no answer)

    def now(self):
        return time.monotonic() - self.start

    def record(self, started, kind, status, retry_after=None):
        with self.lock:
            self.events.append((started, self.now(), kind, status, retry_after))


def read_pages(base, targets, recorder, stop):
    urls = targets["sheets"] + targets["pages"] + targets["themes"] + targets["searches"]
    session = requests.Session()
    while not stop.is_set():
        started = recorder.now()
        try:
            response = session.get(base + random.choice(urls), timeout=30)
            status, retry_after = response.status_code, response.headers.get("Retry-After")
        except requests.RequestException:
            status, retry_after = "error", None
        recorder.record(started, "read", status, retry_after)
        if status == 503:
            time.sleep(0.2)


def log_in(base, staff):
    session = requests.Session()
    page = session.get(f"{base}/comptes/connexion/", timeout=30)
    token = CSRF.search(page.text).group(1)
    response = session.post(
        f"{base}/comptes/connexion/",
        data={"csrfmiddlewaretoken": token, **{k: staff[k] for k in ("username", "password")}},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        sys.exit(f"the bench account could not log in ({response.status_code})")
    form = session.get(f"{base}/espace/actions/nouvelle/", timeout=60)
    return session, CSRF.search(form.text).group(1)


def sheet_form(staff, token, title):
    data = {
        "csrfmiddlewaretoken": token,
        "title": title,
        "structure": staff["structure"],
        "status": "ongoing",
        "summary": "Fiche écrite par bench/faults pendant une panne de la base.",
        "description": "Elle doit être complète ou absente, jamais à moitié.",
        "themes": staff["theme"],
        "publics": staff["public"],
        "create_anyway": "on",
        "partenaires-0-partner_name": f"Partenaire {title}",
        "partenaires-0-role": "action",
        "financements-0-funder_name": "Caf de bench",
        "financements-0-amount": "100",
        "financements-0-year": "2024",
        "fichiers-0-title": "Bilan",
    }
    for prefix in ("partenaires", "financements", "fichiers"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def write_sheets(base, staff, session, token, recorder, stop, writer):
    number = 0
    while not stop.is_set():
        number += 1
        title = f"Panne {writer}-{number} {uuid.uuid4().hex[:8]}"
        started = recorder.now()
        try:
            response = session.post(
                f"{base}/espace/actions/nouvelle/",
                data=sheet_form(staff, token, title),
                files={"fichiers-0-file": ("bilan.pdf", PDF, "application/pdf")},
                timeout=60,
                allow_redirects=False,
            )
            status = response.status_code
            retry_after = response.headers.get("Retry-After")
        except requests.RequestException:
            status, retry_after = "error", None
        recorder.record(started, "write", status, retry_after)
        with recorder.lock:
            recorder.writes[title] = status
        if status == 503:
            time.sleep(0.5)


def phase_counts(events, kind, start, end):
    """Answers to the requests of ``kind`` sent and answered within [start, end)."""
    return Counter(
        s for sent, answered, k, s, _ in events if k == kind and start <= sent and answered < end
    )


def check_database(writes, media_root):
    """The sheets the writers tried to create, as the database and the disk have them."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db.models import Count

    from actions.models import Action, Attachment

    found = {
        sheet.title: sheet
        for sheet in Action.objects.filter(title__in=list(writes)).annotate(
            n_partners=Count("partner_links", distinct=True),
            n_fundings=Count("fundings", distinct=True),
            n_files=Count("attachments", distinct=True),
        )
    }
    half_written = []
    for title, sheet in found.items():
        attachments = list(sheet.attachments.all())
        complete = (sheet.n_partners, sheet.n_fundings, sheet.n_files) == (1, 1, 1) and all(
            (Path(media_root) / a.file.name).is_file()
            and (Path(media_root) / a.file.name).stat().st_size == a.size
            for a in attachments
        )
        if not complete:
            half_written.append(title)
    referenced = set(Attachment.objects.values_list("file", flat=True))
    on_disk = {
        str(path.relative_to(media_root)) for path in Path(media_root).rglob("*") if path.is_file()
    }
    return found, half_written, len(on_disk - referenced)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--stop", required=True, help="shell command stopping PostgreSQL")
    parser.add_argument("--start", required=True, help="shell command starting it again")
    parser.add_argument("--media-root", required=True)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--recovery", type=float, default=20)
    args = parser.parse_args()
    targets = json.loads(Path(args.targets).read_text(encoding="utf-8"))

    # Writers log in and open the form before the clock starts.
    sessions = [log_in(args.url, targets["staff"]) for _ in range(args.writers)]
    recorder, stop = Recorder(), threading.Event()
    threads = [
        threading.Thread(target=read_pages, args=(args.url, targets, recorder, stop))
        for _ in range(args.readers)
    ] + [
        threading.Thread(
            target=write_sheets,
            args=(args.url, targets["staff"], session, token, recorder, stop, n + 1),
        )
        for n, (session, token) in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    down_at = time.monotonic() - recorder.start
    subprocess.run(args.stop, shell=True, check=True, stdout=subprocess.DEVNULL)
    stopped_at = time.monotonic() - recorder.start
    time.sleep(args.outage)
    subprocess.run(args.start, shell=True, check=True, stdout=subprocess.DEVNULL)
    up_at = time.monotonic() - recorder.start
    time.sleep(args.recovery)
    stop.set()
    for thread in threads:
        thread.join()
    end = time.monotonic() - recorder.start
    events = recorder.events

    print(
        f"\nPostgreSQL stopped at {down_at:.1f} s (down at {stopped_at:.1f} s), "
        f"started again at {up_at:.1f} s; load until {end:.1f} s, gunicorn never restarted"
    )
    print(f"{'phase':<30} {'reads':<40} writes")
    for name, start, stop_at in (
        ("before", 0, down_at),
        ("outage", stopped_at, up_at),
        ("after the restart", up_at, end),
    ):
        reads = dict(phase_counts(events, "read", start, stop_at))
        writes = dict(phase_counts(events, "write", start, stop_at))
        print(f"{name:<30} {reads!s:<40} {writes}")

    failures = []
    outage = [e for e in events if stopped_at <= e[0] and e[1] < up_at]
    wrong = [e for e in outage if e[3] != 503 or e[4] is None]
    if not outage:
        failures.append("no request was answered during the outage")
    if wrong:
        failures.append(
            f"{len(wrong)} answers during the outage were not 503 with Retry-After: "
            f"{Counter(e[3] for e in wrong)}"
        )
    errors = [e for e in events if e[3] == "error" or (e[3] != 503 and e[3] >= 500)]
    if errors:
        failures.append(
            f"{len(errors)} requests failed outside 503s: {Counter(e[3] for e in errors)}"
        )
    served_again = sorted(
        answered
        for sent, answered, kind, status, _ in events
        if kind == "read" and sent >= up_at and status == 200
    )
    if served_again:
        print(f"recovery: first page served {served_again[0] - up_at:.2f} s after the restart")
    else:
        failures.append("no page was served after the restart")

    found, half_written, orphans = check_database(recorder.writes, args.media_root)
    acknowledged = [title for title, status in recorder.writes.items() if status == 302]
    lost = [title for title in acknowledged if title not in found]
    unexpected = Counter(s for s in recorder.writes.values() if s not in (302, 503))
    print(
        f"writes: {len(recorder.writes)} attempted, {len(acknowledged)} acknowledged (302), "
        f"{len(found)} in the database, {len(lost)} lost, {len(half_written)} half-written; "
        f"other answers: {dict(unexpected) or 'none'}"
    )
    print(f"files in MEDIA_ROOT that no attachment points to: {orphans}")
    if lost:
        failures.append(f"{len(lost)} acknowledged writes lost: {lost[:5]}")
    if half_written:
        failures.append(f"{len(half_written)} half-written sheets: {half_written[:5]}")
    if unexpected:
        failures.append(f"writes answered neither 302 nor 503: {dict(unexpected)}")
    for failure in failures:
        print(f"FAILED: {failure}")
    print("OK" if not failures else "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
