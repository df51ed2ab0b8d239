"""The GitHub side: the one PyGithub adapter, event routing and the handlers."""
