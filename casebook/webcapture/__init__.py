"""Web captures kept in a case folder and listed in its dossier."""
