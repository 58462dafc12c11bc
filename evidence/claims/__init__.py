"""Claims in listings and on labels that advertising and food law forbid, found with their context."""
