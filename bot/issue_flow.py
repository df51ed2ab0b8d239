"""Issue-form submissions (handler; filled in once the form parser lands)."""
