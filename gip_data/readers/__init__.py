"""Readers: bytes of a TXT, HTML, DOCX or PDF file → one Document."""
