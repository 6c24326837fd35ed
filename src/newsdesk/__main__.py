"""``python -m newsdesk`` runs the command line."""

from newsdesk.faces.cli import main

main()
