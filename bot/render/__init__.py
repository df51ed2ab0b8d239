"""What people read, pure: the PR comment, reports, Markdown escaping and suggested changes."""
