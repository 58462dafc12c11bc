"""Compulsory product certification (CCC): the catalogue, certificate numbers, register exports, checks."""
