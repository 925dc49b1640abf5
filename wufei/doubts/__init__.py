"""Doubts (待确认): fields of imported records a person must confirm or correct, kept until decided."""
