"""``python -m mittnite`` runs the ``mittnite`` command."""

from mittnite.cli.main import main

main()
