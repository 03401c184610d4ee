"""Layout-independent extraction: Document → the standard tables."""
