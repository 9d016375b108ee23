"""bench/load: visitors of the public catalogue, without think time (each simulated client
asks for its next page as soon as the previous one has arrived). Pages are drawn from
targets.json (bench/portal_targets.py) with weights close to a catalogue's traffic: mostly
sheets and catalogue pages, some searches and filters, a few network pages."""

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant, task

TARGETS = json.loads(Path(os.environ["PORTAL_TARGETS"]).read_text(encoding="utf-8"))


class Visitor(FastHttpUser):
    wait_time = constant(0)

    def visit(self, kind: str, name: str):
        self.client.get(random.choice(TARGETS[kind]), name=name)

    @task(6)
    def sheet(self):
        self.visit("sheets", "/actions/<slug>/")

    @task(3)
    def catalogue(self):
        self.visit("pages", "pages (home, catalogue, lists)")

    @task(2)
    def theme(self):
        self.visit("themes", "/actions/?theme=")

    @task(2)
    def search(self):
        self.visit("searches", "/actions/?q=")

    @task(1)
    def department(self):
        self.visit("departments", "/departements/<code>/")
