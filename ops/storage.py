"""Files written whole or not at all.

Django's ``FileSystemStorage`` writes an upload straight under its final name: a full disk or
an interrupted copy leaves a partial file there, which the portal would then serve.
``CompleteFileSystemStorage`` writes into a hidden ``.part`` file of the same directory and
links it under its final name only once it is complete (a link is atomic, and refuses a name
already taken); the ``.part`` file is removed whatever happens.
"""

import os
import secrets

from django.core.files.storage import FileSystemStorage


class CompleteFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        directory, basename = os.path.split(name)
        # Unguessable and new: super()._save keeps this name (it only renames a taken one).
        partial_path = self.path(
            os.path.join(directory, f".{basename}.{secrets.token_hex(8)}.part")
        )
        try:
            super()._save(os.path.relpath(partial_path, self.location), content)
            while True:
                try:
                    os.link(partial_path, self.path(name))
                except FileExistsError:
                    name = self.get_available_name(name)
                else:
                    return str(name).replace("\\", "/")
        finally:
            if os.path.lexists(partial_path):
                os.unlink(partial_path)
