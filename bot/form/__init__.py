"""The issue form, pure: its fields, the parser and the entry builder."""
