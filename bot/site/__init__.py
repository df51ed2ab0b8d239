"""The static leaderboard page: builder, data packing and assets."""
