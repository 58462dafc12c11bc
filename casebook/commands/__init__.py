"""One module per command group of the ``casebook`` command (see DESIGN.md's contract)."""
