"""bench/formset: how long the sheet form takes when a POST claims 100,000 lines.

A formset builds the forms its ``TOTAL_FORMS`` announces, up to its ``absolute_max``; the page
that answers then renders every line it built. The script times, as the bench staff account:

- ``GET`` of the empty sheet form (one line per formset);
- ``POST`` of a sheet whose partner, funding and attachment formsets each claim
  ``lines-TOTAL_FORMS=100000`` (the page answers 200 with the form errors).

It prints, for each, the median and maximum time over ``--rounds`` and the size of the page.
Exit status 1 when the attack is not answered with 200 within one second. Run by
``bench/formset``, which starts the portal and passes the options.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from faults import log_in, sheet_form

ATTACK_LINES = "100000"
PREFIXES = ("partenaires", "financements", "fichiers")


def timed(call, rounds):
    times, response = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - started)
    return times, response


def report(name, times, response):
    print(
        f"{name:<32} status {response.status_code}  median {statistics.median(times):6.3f} s"
        f"  max {max(times):6.3f} s  page {len(response.content) / 1024:8.0f} KiB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    staff = json.loads(Path(args.targets).read_text())["staff"]
    session, token = log_in(args.url, staff)
    form_url = f"{args.url}/espace/actions/nouvelle/"

    times, page = timed(lambda: session.get(form_url, timeout=120), args.rounds)
    report("GET sheet form", times, page)

    attack = sheet_form(staff, token, "Attaque par formulaires")
    for prefix in PREFIXES:
        attack[f"{prefix}-TOTAL_FORMS"] = ATTACK_LINES
    times, answer = timed(
        lambda: session.post(form_url, data=attack, timeout=120, allow_redirects=False),
        args.rounds,
    )
    report(f"POST TOTAL_FORMS={ATTACK_LINES} x3", times, answer)
    if answer.status_code != 200 or max(times) >= 1:
        sys.exit("the formset attack was not answered with 200 in under one second")


if __name__ == "__main__":
    main()
