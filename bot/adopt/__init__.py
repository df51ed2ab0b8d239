"""What a repository adopting the bot gets: init's files and the release record."""
