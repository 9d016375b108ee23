# shellcheck shell=bash
# Shared by scripts/backup and scripts/restore (sourced): the database to act on and the folder
# of uploaded files, both as the portal's settings see them.
# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"

command -v pg_dump >/dev/null || apt_install postgresql-client
case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *) echo "DATABASE_URL must point to the portal's PostgreSQL database (postgres://...)" >&2
       exit 2 ;;
esac
python_env ""
# shellcheck disable=SC2034  # read by scripts/backup and scripts/restore
MEDIA_DIR="$(cd "$PROJECT_DIR" && "$VENV/bin/python" manage.py shell --no-imports -v 0 \
    -c 'from django.conf import settings; print(settings.MEDIA_ROOT)' | tail -n 1)"
