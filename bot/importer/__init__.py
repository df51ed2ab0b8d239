"""sagellm-benchmark outputs (run directories, exports, the Hub dataset) into leaderboard entries."""
