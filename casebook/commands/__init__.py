"""One module per command group of the ``casebook`` command (the contract is in docs/architecture.md)."""
