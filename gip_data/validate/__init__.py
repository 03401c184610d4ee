"""The arithmetic rules (勾稽关系) and their checks."""
